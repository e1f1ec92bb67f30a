#!/bin/sh
# tuner: a shell launcher with the application jar appended after it.
# TUNER_JAVA or JAVA_HOME pick the JVM; otherwise java from PATH. TUNER_JAVA_OPTS adds JVM options.
if [ -n "$TUNER_JAVA" ]; then JAVA="$TUNER_JAVA"
elif [ -n "$JAVA_HOME" ] && [ -x "$JAVA_HOME/bin/java" ]; then JAVA="$JAVA_HOME/bin/java"
else JAVA=java; fi
# Runs are short: the serial collector and the C1 compiler alone cost least.
jvm_options="-XX:+UseSerialGC -XX:TieredStopAtLevel=1"
# The JVM matches a class archive to its jar by absolute path.
case $0 in /*) jar=$0 ;; *) jar=$PWD/$0 ;; esac

# Class data sharing: a short run spends much of its CPU reading and verifying classes from the jar.
# The first run of a command with this jar and this JVM that does the command's work lists the
# classes it loads; the next run builds one archive from the lists of every command seen so far (a
# few seconds, once), and later runs map their classes from it. Files live in the cache directory,
# named after the jar's and the JVM's identity (device, inode, size, mtime), so a new jar or JVM
# starts afresh. The JVM refuses, silently with its CDS logging off, an archive that is not of this
# JVM and this jar; an archive cut short makes it crash instead, so an archive is named after its
# size and one of another size is never handed to it. Nothing here is fatal: without a usable cache
# directory a run goes on without an archive. TUNER_CDS=off turns it off.
if [ -n "$TUNER_CACHE_DIR" ]; then cache=$TUNER_CACHE_DIR
elif [ -n "$XDG_CACHE_HOME" ]; then cache=$XDG_CACHE_HOME/tuner
elif [ -n "$HOME" ]; then cache=$HOME/.cache/tuner
else cache=; fi
if [ "$TUNER_CDS" != off ] && [ -n "$cache" ] && java=$(command -v "$JAVA"); then
    case $1 in '' | *[!a-z]*) word=tuner ;; *) word=$1 ;; esac
    set -- -jar "$jar" "$@"
    [ -d "$cache" ] || mkdir -p -m 700 "$cache" 2>/dev/null
    key= archive= n=0
    # one line per file: identity, size, name; the jar's, the JVM's, then every archive's
    stats=$(stat -L -c '%d.%i.%s.%Y %s %n' -- "$jar" "$java" "$cache"/*.jsa 2>/dev/null)
    while read -r id size name; do
        n=$((n + 1))
        if [ $n -le 2 ]; then key=$key$id-
        elif [ "$name" = "$cache/$key$size.jsa" ]; then archive=$name
        fi
    done <<EOF
$stats
EOF
    # a cache directory or archive someone else could have written is not used
    if [ $n -ge 2 ] && [ -O "$cache" ] && [ -w "$cache" ]; then
        list=$cache/$key$word.classlist
        stale=
        if [ -z "$archive" ]; then stale=1
        else for l in "$cache/$key"*.classlist; do [ "$l" -nt "$archive" ] && stale=1; done; fi
        # one build at a time (slices of a fleet often start together); a lock a killed build left goes after ten minutes
        lock=$cache/${key}building
        if [ -s "$list" ] && [ -n "$stale" ] && ! mkdir "$lock" 2>/dev/null; then
            find "$lock" -maxdepth 0 -mmin +10 -exec rmdir {} + 2>/dev/null
            stale=
        fi
        if [ -s "$list" ] && [ -n "$stale" ]; then
            # every list once (a lambda listed twice crashes the dump), into a temporary archive renamed when whole
            tmp=$cache/.$$
            if awk '!seen[$0]++' "$cache/$key"*.classlist >"$tmp.classlist" 2>/dev/null \
                && "$JAVA" $jvm_options -Xshare:dump -XX:SharedClassListFile="$tmp.classlist" -XX:SharedArchiveFile="$tmp.jsa" -cp "$jar" >/dev/null 2>&1 \
                && size=$(stat -c %s "$tmp.jsa") && mv -f "$tmp.jsa" "$cache/$key$size.jsa"; then
                archive=$cache/$key$size.jsa
                for a in "$cache/$key"*.jsa; do [ "$a" = "$archive" ] || rm -f "$a"; done
                # lists and archives other jars and JVMs left a month ago (the directory may hold other caches)
                find "$cache" -maxdepth 1 -type f \( -name '*.jsa' -o -name '*.classlist*' \) ! -name "$key*" -mtime +30 \
                    -exec rm -f {} + 2>/dev/null
            elif [ -n "$archive" ]; then
                touch "$archive" 2>/dev/null      # the lists it lacks are not tried again until a new one comes
            else
                archive=$cache/${key}0.jsa         # no archive, and none is tried again until a new list comes
                : >"$archive" 2>/dev/null
            fi
            rm -f "$tmp.classlist" "$tmp.jsa"
            rmdir "$lock" 2>/dev/null
        fi
        [ -s "$archive" ] && [ -O "$archive" ] && set -- -XX:SharedArchiveFile="$archive" "$@"
        # the run records what it loads; the JVM keeps that as the list if it did the command's work (cli/ClassList)
        if [ ! -s "$list" ] && { : >"$list.$$"; } 2>/dev/null; then
            set -- -XX:DumpLoadedClassList="$list.$$" -Dtuner.classlist="$list" "$@"
        fi
    fi
else
    set -- -jar "$jar" "$@"
fi
# shellcheck disable=SC2086 # jvm_options and TUNER_JAVA_OPTS are lists of options
exec "$JAVA" $jvm_options -Xshare:auto -Xlog:cds=off,cds+dynamic=off $TUNER_JAVA_OPTS "$@"
