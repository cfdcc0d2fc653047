package io.villa.flink.operators;

import java.io.Serializable;
import java.util.Locale;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A ROWSxCOLS grid of regions, e.g. 3x3: the regions of a record that carries no boxes. */
public record Grid(int rows, int columns) implements Serializable {

    public Grid {
        if (rows < 1 || columns < 1) {
            throw new IllegalArgumentException(
                    "grid must have at least one row and one column, got " + rows + "x" + columns);
        }
    }

    /** Reads ROWSxCOLS (either case of x, spaces allowed around the numbers). */
    public static Grid parse(String text) {
        String[] parts = text.toLowerCase(Locale.ROOT).split("x", -1);
        try {
            if (parts.length == 2) {
                return new Grid(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
            }
        } catch (NumberFormatException e) {
            // falls through to the message that shows the expected form
        }
        throw new IllegalArgumentException("grid must look like 3x3 (ROWSxCOLS), got " + text);
    }

    /** For picocli: a bad --grid is a usage error (exit 2), not a failure of the job. */
    public static final class Converter implements ITypeConverter<Grid> {
        @Override
        public Grid convert(String value) {
            try {
                return parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
