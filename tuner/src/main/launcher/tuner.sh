#!/bin/sh
# tuner: a shell launcher with the application jar appended after it.
# TUNER_JAVA or JAVA_HOME pick the JVM; otherwise java from PATH.
if [ -n "$TUNER_JAVA" ]; then JAVA="$TUNER_JAVA"
elif [ -n "$JAVA_HOME" ] && [ -x "$JAVA_HOME/bin/java" ]; then JAVA="$JAVA_HOME/bin/java"
else JAVA=java; fi
exec "$JAVA" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto $TUNER_JAVA_OPTS -jar "$0" "$@"
