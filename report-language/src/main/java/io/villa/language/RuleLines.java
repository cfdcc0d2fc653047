package io.villa.language;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The lines of a vocabulary or trigger file that say something: trimmed, without blank and {@code #} comment lines. */
final class RuleLines {

    /** Longest file read: a site's vocabulary is kilobytes; anything near this is the wrong file. */
    static final int MAX_CHARS = 4 * 1024 * 1024;
    /** Longest line. */
    static final int MAX_LINE_CHARS = 4096;

    record Line(int number, String text) {
    }

    private RuleLines() {
    }

    static List<Line> read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new FileFormatException(file.toString(), 0, Files.exists(file) ? "not a regular file" : "no such file");
        }
        if (Files.size(file) > MAX_CHARS) {
            throw new FileFormatException(file.toString(), 0, "larger than " + MAX_CHARS + " bytes");
        }
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(in, file.toString());
        }
    }

    static List<Line> resource(Class<?> near, String name) throws IOException {
        try (InputStream in = near.getResourceAsStream(name)) {
            if (in == null) {
                throw new FileFormatException(name, 0, "missing from the class path");
            }
            return read(new InputStreamReader(in, StandardCharsets.UTF_8), name);
        }
    }

    static List<Line> read(Reader reader, String source) throws IOException {
        BufferedReader in = new BufferedReader(reader);
        List<Line> out = new ArrayList<>();
        int number = 0;
        long chars = 0;
        for (String line; (line = in.readLine()) != null; ) {
            number++;
            chars += line.length() + 1;
            if (chars > MAX_CHARS) {
                throw new FileFormatException(source, number, "the file is longer than " + MAX_CHARS + " characters");
            }
            if (line.length() > MAX_LINE_CHARS) {
                throw new FileFormatException(source, number, "line longer than " + MAX_LINE_CHARS + " characters");
            }
            String t = line.strip();
            if (number == 1 && t.startsWith("\uFEFF")) {
                t = t.substring(1).strip();
            }
            if (!t.isEmpty() && !t.startsWith("#")) {
                out.add(new Line(number, t));
            }
        }
        return out;
    }

    /** "[name]" lines: the name, else null. */
    static String listName(String text) {
        return text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1).strip() : null;
    }
}
