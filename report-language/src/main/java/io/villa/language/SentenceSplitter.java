package io.villa.language;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The project's one sentence splitter. A sentence ends at {@code . ! ? ;} followed by white space or the end of the
 * text, but a full stop does not end one after an abbreviation ("approx.", "Dr.", "e.g.", a single initial), after a
 * list number at the start of a sentence ("1. ..."), nor inside a number ("2.5 cm": no space follows). DocMNIST's
 * " . " separator is a full stop with spaces around it.
 *
 * <p>Lines: a line break ends a sentence when the line ends with punctuation, the next line starts a new item (an
 * upper-case letter, a list number, a bullet) or the line is an upper-case header; otherwise it is a wrapped line and
 * reads as a space. A blank line always ends one. An upper-case section header with a colon inside a line
 * ("... INDICATION: cough FINDINGS: ...", a report flattened onto one line) starts a new sentence.
 *
 * <p>Each sentence is trimmed, without its final punctuation and without a leading list number or bullet (also
 * right after a header: "IMPRESSION: 1. No effusion" is "IMPRESSION: No effusion"); empty ones are dropped.
 */
public final class SentenceSplitter implements Serializable {

    private static final long serialVersionUID = 1L;

    private static final Pattern LINE_BREAK = Pattern.compile("\\r\\n|\\r|\\n");
    private static final Pattern ITEM_START = Pattern.compile("^(?:\\p{Lu}|\\d{1,2}[.)]\\s|\\(\\d{1,2}\\)|[-*\u2022]\\s)");
    private static final Pattern UPPER_LINE = Pattern.compile("^[\\p{Lu}][\\p{Lu}\\s/&]*:?$");
    /** An upper-case header inside a line: one to four upper-case words and a colon. */
    private static final Pattern INLINE_HEADER = Pattern.compile("\\p{Lu}{2,}(?:[ /&]\\p{Lu}{2,}){0,3}\\s*:");
    private static final Pattern LIST_MARKER = Pattern.compile("^((?:[^:]{1,60}:\\s*)?)(?:\\d{1,2}[.)]|\\(\\d{1,2}\\)|[-*\u2022])\\s+");
    private static final Pattern DOTTED = Pattern.compile("(?:\\p{L}\\.)+\\p{L}");

    private static final SentenceSplitter STANDARD = new SentenceSplitter(readAbbreviations());

    private final HashSet<String> abbreviations;

    private SentenceSplitter(Set<String> abbreviations) {
        this.abbreviations = new HashSet<>(abbreviations);
    }

    /** The splitter with the shipped abbreviations ({@code abbreviations.txt} beside this class). */
    public static SentenceSplitter standard() {
        return STANDARD;
    }

    /** The sentences of {@code text} (none for null). */
    public List<String> split(String text) {
        List<String> out = new ArrayList<>();
        if (text == null) {
            return out;
        }
        for (String block : blocks(text)) {
            splitBlock(block, out);
        }
        return out;
    }

    /** Joins wrapped lines; a line break that ends a sentence starts a new block. */
    private static List<String> blocks(String text) {
        List<String> blocks = new ArrayList<>();
        if (text.indexOf('\n') < 0 && text.indexOf('\r') < 0) {
            blocks.add(text);
            return blocks;
        }
        StringBuilder current = new StringBuilder();
        String previous = null;
        for (String raw : LINE_BREAK.split(text, -1)) {
            String line = raw.strip();
            if (line.isEmpty()) {
                flush(current, blocks);
                previous = null;
                continue;
            }
            if (previous != null && (endsSentence(previous) || ITEM_START.matcher(line).find()
                    || UPPER_LINE.matcher(previous).matches())) {
                flush(current, blocks);
            }
            if (current.length() > 0) {
                current.append(' ');
            }
            current.append(line);
            previous = line;
        }
        flush(current, blocks);
        return blocks;
    }

    private static boolean endsSentence(String line) {
        char last = line.charAt(line.length() - 1);
        return last == '.' || last == '!' || last == '?' || last == ';' || last == ':';
    }

    private static void flush(StringBuilder current, List<String> blocks) {
        if (current.length() > 0) {
            blocks.add(current.toString());
            current.setLength(0);
        }
    }

    private void splitBlock(String block, List<String> out) {
        int n = block.length();
        int start = 0;
        Matcher header = INLINE_HEADER.matcher(block);
        int i = 0;
        while (i < n) {
            char c = block.charAt(i);
            if (c == '.' || c == '!' || c == '?' || c == ';') {
                int j = i;
                while (j < n && isEnd(block.charAt(j))) {
                    j++;
                }
                boolean atBreak = j == n || Character.isWhitespace(block.charAt(j));
                if (atBreak && (j - i > 1 || c != '.' || !keepsSentence(block, start, i))) {
                    add(block.substring(start, j), out);
                    start = j;
                }
                i = j;
                continue;
            }
            if (Character.isUpperCase(c) && i > start && Character.isWhitespace(block.charAt(i - 1))
                    && !block.substring(start, i).isBlank() && !upperWordBefore(block, start, i) && header.region(i, n).lookingAt()) {
                add(block.substring(start, i), out);
                start = i;
            }
            i++;
        }
        if (start < n) {
            add(block.substring(start), out);
        }
    }

    /** Whether the word before {@code at} is an upper-case word, so a header there began earlier ("CLINICAL INFORMATION:"). */
    private static boolean upperWordBefore(String block, int start, int at) {
        int end = at;
        while (end > start && Character.isWhitespace(block.charAt(end - 1))) {
            end--;
        }
        int w = end;
        while (w > start && Character.isLetter(block.charAt(w - 1))) {
            w--;
        }
        if (w == end || w > start && !Character.isWhitespace(block.charAt(w - 1))) {
            return false;
        }
        for (int k = w; k < end; k++) {
            if (!Character.isUpperCase(block.charAt(k))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isEnd(char c) {
        return c == '.' || c == '!' || c == '?' || c == ';';
    }

    /** Whether the full stop at {@code dot} belongs to the word before it (abbreviation, initial, list number). */
    private boolean keepsSentence(String block, int sentenceStart, int dot) {
        int w = dot;
        while (w > sentenceStart && !Character.isWhitespace(block.charAt(w - 1))) {
            w--;
        }
        if (w == dot) {
            return false; // " . ": a stop standing alone
        }
        String word = block.substring(w, dot);
        String lower = word.toLowerCase(Locale.ROOT);
        if (word.length() == 1 && Character.isLetter(word.charAt(0))) {
            return true;
        }
        if (abbreviations.contains(lower) || DOTTED.matcher(lower).matches()) {
            return true;
        }
        if (word.length() <= 2 && word.chars().allMatch(Character::isDigit)) {
            int b = w;
            while (b > sentenceStart && Character.isWhitespace(block.charAt(b - 1))) {
                b--;
            }
            return b == sentenceStart || block.charAt(b - 1) == ':'; // first in its sentence, or right after a header
        }
        return false;
    }

    private static void add(String piece, List<String> out) {
        String s = piece.strip();
        int end = s.length();
        while (end > 0 && (isEnd(s.charAt(end - 1)) || Character.isWhitespace(s.charAt(end - 1)))) {
            end--;
        }
        s = s.substring(0, end);
        Matcher marker = LIST_MARKER.matcher(s);
        if (marker.find()) {
            s = (marker.group(1) + s.substring(marker.end())).strip();
        }
        if (!s.isEmpty()) {
            out.add(s);
        }
    }

    private static Set<String> readAbbreviations() {
        Set<String> out = new HashSet<>();
        try (InputStream in = SentenceSplitter.class.getResourceAsStream("abbreviations.txt")) {
            if (in == null) {
                throw new IllegalStateException("abbreviations.txt is missing from the class path");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = reader.readLine()) != null; ) {
                String t = line.strip();
                if (!t.isEmpty() && !t.startsWith("#")) {
                    out.add(t.toLowerCase(Locale.ROOT));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
