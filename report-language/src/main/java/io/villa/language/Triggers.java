package io.villa.language;

import java.io.IOException;
import java.io.Reader;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The trigger phrases of negation and uncertainty, the termination words that end their scope, and the section
 * names: one file a site can replace. Format (README, "Reading reports"): lists headed {@code
 * [pre-negation]}, {@code [post-negation]}, {@code [pre-uncertainty]}, {@code [post-uncertainty]}, {@code
 * [uncertainty-both-ways]}, {@code [pseudo]}, {@code [termination]}, {@code [counted-sections]}, {@code
 * [skipped-sections]}, one phrase per line in the {@link Phrases} syntax; {@code #} starts a comment line. A phrase
 * may be in one list only. The shipped file is {@code triggers.txt} beside this class.
 */
public final class Triggers implements Serializable {

    private static final long serialVersionUID = 1L;

    public static final String COUNTED_SECTIONS = "counted-sections";
    public static final String SKIPPED_SECTIONS = "skipped-sections";
    private static final String RESOURCE = "triggers.txt";

    private static volatile Triggers standard;

    private final PhraseMatcher<TriggerKind> matcher;
    private final Sections sections;

    private Triggers(PhraseMatcher<TriggerKind> matcher, Sections sections) {
        this.matcher = matcher;
        this.sections = sections;
    }

    /** The shipped triggers and sections. */
    public static Triggers standard() {
        Triggers t = standard;
        if (t == null) {
            try {
                t = parse(RuleLines.resource(Triggers.class, RESOURCE), RESOURCE);
            } catch (IOException e) {
                throw new UncheckedIOException("the shipped " + RESOURCE + " does not read", e);
            }
            standard = t;
        }
        return t;
    }

    /** The shipped triggers when {@code file} is null, else the file's. */
    public static Triggers fromFileOrStandard(Path file) throws IOException {
        return file == null ? standard() : fromFile(file);
    }

    public static Triggers fromFile(Path file) throws IOException {
        return parse(RuleLines.read(file), file.toString());
    }

    public static Triggers parse(Reader reader, String source) throws IOException {
        return parse(RuleLines.read(reader, source), source);
    }

    private static Triggers parse(List<RuleLines.Line> lines, String source) throws IOException {
        Map<String, TriggerKind> kinds = new HashMap<>();
        for (TriggerKind k : TriggerKind.values()) {
            kinds.put(k.fileName(), k);
        }
        PhraseMatcher.Builder<TriggerKind> phrases = PhraseMatcher.builder();
        Map<String, Integer> firstLine = new HashMap<>();
        Set<String> counted = new HashSet<>();
        Set<String> skipped = new HashSet<>();
        String list = null;
        for (RuleLines.Line line : lines) {
            String name = RuleLines.listName(line.text());
            if (name != null) {
                if (!kinds.containsKey(name) && !name.equals(COUNTED_SECTIONS) && !name.equals(SKIPPED_SECTIONS)) {
                    throw new FileFormatException(
                            source,
                            line.number(),
                            "unknown list [" + name + "]; the lists are "
                                    + String.join(
                                            ", ",
                                            kinds.keySet().stream().sorted().toList()) + ", " + COUNTED_SECTIONS + ", "
                                    + SKIPPED_SECTIONS);
                }
                list = name;
                continue;
            }
            if (list == null) {
                throw new FileFormatException(source, line.number(), "a phrase before any [list] line");
            }
            if (list.equals(COUNTED_SECTIONS) || list.equals(SKIPPED_SECTIONS)) {
                String key = Sections.key(line.text());
                if (key.isEmpty()) {
                    throw new FileFormatException(source, line.number(), "a section name needs a word");
                }
                Set<String> other = list.equals(COUNTED_SECTIONS) ? skipped : counted;
                if (other.contains(key)) {
                    throw new FileFormatException(
                            source, line.number(), "section '" + line.text() + "' is both counted and skipped");
                }
                (list.equals(COUNTED_SECTIONS) ? counted : skipped).add(key);
                continue;
            }
            TriggerKind kind = kinds.get(list);
            List<String[]> expanded;
            try {
                expanded = Phrases.expand(line.text());
            } catch (IllegalArgumentException e) {
                throw new FileFormatException(source, line.number(), e.getMessage());
            }
            for (String[] phrase : expanded) {
                TriggerKind before = phrases.add(phrase, kind);
                if (before != null) {
                    throw new FileFormatException(
                            source,
                            line.number(),
                            "'" + String.join(" ", phrase) + "' is already in [" + before.fileName() + "] (line "
                                    + firstLine.get(String.join(" ", phrase)) + ")");
                }
                firstLine.putIfAbsent(String.join(" ", phrase), line.number());
            }
        }
        if (firstLine.isEmpty()) {
            throw new FileFormatException(source, 0, "no trigger phrases");
        }
        return new Triggers(phrases.build(), new Sections(counted, skipped));
    }

    PhraseMatcher<TriggerKind> matcher() {
        return matcher;
    }

    public Sections sections() {
        return sections;
    }
}
