package io.villa.cli.commands;

import java.io.IOException;
import java.io.Reader;

/**
 * Reads text one line (or the whole input) at a time without ever holding more than a limit: a longer line is read
 * to its end but only counted, so one enormous line costs no memory and the lines after it are still read.
 */
final class BoundedLines {

    /** One unit of input: its text, or only its length when it was over the limit. */
    record Unit(String text, long length) {
        boolean tooLong() {
            return text == null;
        }
    }

    private final Reader in;
    private final int maxChars;
    private boolean ended;

    BoundedLines(Reader in, int maxChars) {
        this.in = in;
        this.maxChars = maxChars;
    }

    /** The next line without its line break ("\n" or "\r\n"), or null at the end of the input. */
    Unit nextLine() throws IOException {
        return next(true);
    }

    /** The rest of the input as one unit (null when it is empty and nothing was read before). */
    Unit rest() throws IOException {
        return next(false);
    }

    private Unit next(boolean byLine) throws IOException {
        if (ended) {
            return null;
        }
        StringBuilder text = new StringBuilder();
        long length = 0;
        int c;
        boolean any = false;
        while ((c = in.read()) >= 0) {
            any = true;
            if (byLine && c == '\n') {
                break;
            }
            length++;
            if (length <= maxChars) {
                text.append((char) c);
            }
        }
        if (c < 0) {
            ended = true;
            if (!any && byLine) {
                return null;
            }
        }
        if (byLine && text.length() > 0 && text.charAt(text.length() - 1) == '\r' && length <= maxChars) {
            text.setLength(text.length() - 1);
            length--;
        }
        return length > maxChars ? new Unit(null, length) : new Unit(text.toString(), length);
    }

    /** Whether more input can be read without blocking (to flush output while a person types). */
    boolean ready() throws IOException {
        return !ended && in.ready();
    }
}
