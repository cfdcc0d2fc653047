package io.villa.language;

import java.io.IOException;

/** A vocabulary or trigger file that cannot be read as one: names the file, the line and what is wrong. */
public final class FileFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    private final String source;
    private final int line;

    public FileFormatException(String source, int line, String problem) {
        super(source + (line > 0 ? " line " + line : "") + ": " + problem);
        this.source = source;
        this.line = line;
    }

    /** The file (or resource) the problem is in. */
    public String source() {
        return source;
    }

    /** 1-based line number, or 0 when the problem is the file as a whole. */
    public int line() {
        return line;
    }
}
