package dev.tuner.cli;

import picocli.CommandLine;

/** The version printed by --version, from the jar manifest when packaged. */
final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Main.class.getPackage().getImplementationVersion();
        return new String[] {"tuner " + (v == null ? "development build" : v), "Java " + System.getProperty("java.version")};
    }
}
