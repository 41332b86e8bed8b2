package io.cna4j.examples;

import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A cluster member's address as the command line takes it, {@code HOST:PORT}.
 *
 * {@snippet :
 * ClusterAddress a = new ClusterAddress.Converter().convert("127.0.0.1:5701");   // a.toString() is "127.0.0.1:5701"
 * }
 *
 * @param host a host name or IPv4 address
 * @param port 1 to 65535
 */
record ClusterAddress(String host, int port) {
    private static final Pattern FORM = Pattern.compile("([A-Za-z0-9.-]+):(\\d{1,5})");

    ClusterAddress {
        if (port < 1 || port > 65535) throw new IllegalArgumentException("port must be in [1, 65535], got " + port);
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }

    /** picocli's converter: a usage error (exit 2) names the value and the expected form. */
    static final class Converter implements ITypeConverter<ClusterAddress> {
        @Override
        public ClusterAddress convert(String value) {
            var m = FORM.matcher(value);
            if (!m.matches()) throw new TypeConversionException("'" + value + "' is not HOST:PORT (e.g. 127.0.0.1:5701)");
            int port = Integer.parseInt(m.group(2));
            if (port < 1 || port > 65535) throw new TypeConversionException("'" + value + "': port must be in [1, 65535]");
            return new ClusterAddress(m.group(1), port);
        }
    }
}
