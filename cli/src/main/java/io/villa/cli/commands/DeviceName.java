package io.villa.cli.commands;

import java.util.regex.Pattern;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Checks a --device value when the command line is parsed, so that a typo is a usage error (exit 2) and not a
 * failure once the model loads: auto, cpu, gpu or gpu:N (cuda and cuda:N too), in any case. Which GPUs exist is
 * still decided when the device is opened.
 */
public final class DeviceName implements ITypeConverter<String> {

    private static final Pattern DEVICE = Pattern.compile("(?i)auto|cpu|(gpu|cuda)(:\\d{1,5})?");

    @Override
    public String convert(String value) {
        String name = value.trim();
        if (!DEVICE.matcher(name).matches()) {
            throw new TypeConversionException("expected auto, cpu, gpu or gpu:N but was '" + value + "'");
        }
        return name;
    }
}
