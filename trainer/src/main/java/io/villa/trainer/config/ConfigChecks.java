package io.villa.trainer.config;

import java.util.Locale;

/**
 * Checks of configuration values, in the style of Flink's {@code Preconditions.checkArgument} (Flink is not on the
 * trainer's class path): the message names the field and the value it got, e.g. "temperature must be > 0, got -1.0".
 */
public final class ConfigChecks {

    private ConfigChecks() {}

    /** Throws an IllegalArgumentException with {@code template} ({@code %s} placeholders) filled in, unless {@code ok}. */
    public static void checkArgument(boolean ok, String template, Object... values) {
        if (!ok) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, template, values));
        }
    }
}
