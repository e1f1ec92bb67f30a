package dev.tuner.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;

/** The version printed by --version: the project version and the git commit, recorded by the build in build.properties. */
final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        Properties build = new Properties();
        try (InputStream in = Version.class.getResourceAsStream("build.properties")) {
            if (in != null) build.load(in);
        } catch (IOException e) {
            // An unreadable resource leaves the version unknown, which the line says.
        }
        String version = build.getProperty("version", "unknown");
        String commit = build.getProperty("commit", "unknown");
        return new String[] {"tuner " + version + " (commit " + commit + ")", "Java " + System.getProperty("java.version")};
    }
}
