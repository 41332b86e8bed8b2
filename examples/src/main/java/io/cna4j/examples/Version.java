package io.cna4j.examples;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;

/**
 * cna4j's version as the build stamped it ({@code version.properties}, filtered by Maven), for {@code --version},
 * {@code report.md} and {@code run.json}.
 *
 * {@snippet :
 * String v = Version.get();   // "0.1.0-SNAPSHOT"
 * }
 */
final class Version {
    private static final String VERSION = read();

    private Version() {}

    /** The version, or {@code "unknown"} when the classes were not built by Maven. */
    static String get() {
        return VERSION;
    }

    private static String read() {
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in == null) return "unknown";
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version", "unknown");
            return v.startsWith("${") ? "unknown" : v;
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** picocli's {@code --version} text. */
    static final class Provider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"cna4j " + get() + " (Java " + Runtime.version() + ")"};
        }
    }
}
