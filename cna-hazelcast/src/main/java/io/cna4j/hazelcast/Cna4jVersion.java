package io.cna4j.hazelcast;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The cna4j version of this jar, read once from {@code version.properties} (filled in by the build). */
final class Cna4jVersion {
    private static final String VERSION = read();

    private Cna4jVersion() {}

    static String get() {
        return VERSION;
    }

    private static String read() {
        try (InputStream in = Cna4jVersion.class.getResourceAsStream("version.properties")) {
            if (in == null) throw new IllegalStateException("version.properties is missing from cna-hazelcast's jar");
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
