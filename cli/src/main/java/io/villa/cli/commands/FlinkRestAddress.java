package io.villa.cli.commands;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** HOST:PORT of a Flink REST endpoint (the JobManager's), as an option type picocli checks. */
record FlinkRestAddress(String host, int port) {

    @Override
    public String toString() {
        return host + ":" + port;
    }

    static final class Converter implements ITypeConverter<FlinkRestAddress> {
        @Override
        public FlinkRestAddress convert(String value) {
            int colon = value.lastIndexOf(':');
            if (colon <= 0 || colon == value.length() - 1) {
                throw new TypeConversionException("expected HOST:PORT, got '" + value + "'");
            }
            try {
                int port = Integer.parseInt(value.substring(colon + 1));
                if (port < 1 || port > 65535) {
                    throw new TypeConversionException("port " + port + " is not between 1 and 65535");
                }
                return new FlinkRestAddress(value.substring(0, colon), port);
            } catch (NumberFormatException e) {
                throw new TypeConversionException("expected HOST:PORT with a numeric port, got '" + value + "'");
            }
        }
    }
}
