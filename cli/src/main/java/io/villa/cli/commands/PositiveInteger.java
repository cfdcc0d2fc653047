package io.villa.cli.commands;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** An option that must be a whole number of at least 1: anything else is a usage error (exit 2) when parsed. */
public final class PositiveInteger implements ITypeConverter<Integer> {

    @Override
    public Integer convert(String value) {
        int n;
        try {
            n = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            n = 0;
        }
        if (n < 1) {
            throw new TypeConversionException("expected a whole number >= 1 but was '" + value + "'");
        }
        return n;
    }
}
