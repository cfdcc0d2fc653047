package io.villa.language;

import java.io.IOException;
import java.io.Reader;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Attributes and the surface forms that mention them. Each attribute has an id (what records and {@code villa extract}
 * call it), an optional type (mapping quality is also reported per type) and one or more surface forms, matched by the
 * {@link PhraseMatcher} as whole words, case-insensitively, tolerant of plurals and hyphens.
 *
 * <p>File format, one statement per line ({@code #} starts a comment line):
 * <pre>
 * [TYPE]                      the type of the attributes below ([] for none)
 * ID                          an attribute whose one surface form is its id (the old one-word-per-line format)
 * ID: FORM | FORM | ...       an attribute and its surface forms (the id is not a form unless listed); repeatable
 * &#64;ignore: FORM | FORM        phrases that mention no attribute but hide the shorter forms inside them
 * &#64;normal ID                  ID stands for a normal report: it counts only where no other attribute is positive or
 *                             uncertain (other than &#64;neutral ones)
 * &#64;neutral ID                 ID does not make a report abnormal (support devices)
 * </pre>
 * A form is in the {@link Phrases} syntax ({@code heart size? is mildly/markedly? enlarged}). Ids are lower-cased with
 * spaces collapsed; an id given twice is one attribute (its first type stays). The order of first appearance is the
 * attribute order (the mapping model's head order).
 *
 * <p>Shipped vocabularies, chosen by name: {@code docmnist} (DocMNIST's 20 words) and {@code chest-xray} (the 14
 * CheXpert observations).
 */
public final class Vocabulary implements Serializable {

    private static final long serialVersionUID = 1L;

    public static final String DOCMNIST = "docmnist";
    public static final String CHEST_XRAY = "chest-xray";
    /** The shipped vocabularies, by name. */
    public static final List<String> SHIPPED = List.of(DOCMNIST, CHEST_XRAY);

    /** The attribute index of an @ignore phrase in the matcher. */
    static final int IGNORED = -1;

    private static final Map<String, Vocabulary> SHIPPED_CACHE = new java.util.concurrent.ConcurrentHashMap<>();

    private final List<String> ids;
    private final List<String> types;
    private final List<List<String>> forms;
    private final boolean[] normal;
    private final boolean[] neutral;
    private final PhraseMatcher<Integer> matcher;

    private Vocabulary(
            List<String> ids,
            List<String> types,
            List<List<String>> forms,
            boolean[] normal,
            boolean[] neutral,
            PhraseMatcher<Integer> matcher) {
        this.ids = List.copyOf(ids);
        this.types = List.copyOf(types);
        this.forms = forms.stream().map(List::copyOf).toList();
        this.normal = normal;
        this.neutral = neutral;
        this.matcher = matcher;
    }

    /**
     * A vocabulary of words that are their own only surface form (ids are normalised; repeated ones are merged,
     * keeping the first type).
     *
     * @param types per word its type, or "" (or null) for none
     */
    public static Vocabulary ofWords(List<String> words, List<String> types) {
        if (types.size() != words.size()) {
            throw new IllegalArgumentException(words.size() + " words but " + types.size() + " types");
        }
        Parser p = new Parser("words");
        for (int i = 0; i < words.size(); i++) {
            String id = normalId(words.get(i));
            if (id.isEmpty()) {
                continue;
            }
            try {
                p.type = types.get(i) == null ? "" : normalId(types.get(i));
                p.literal = true; // words may come from data ("a/b"): their words, not the phrase syntax
                p.attribute(id, List.of(words.get(i)), i + 1);
            } catch (FileFormatException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        }
        if (p.ids.isEmpty()) {
            throw new IllegalArgumentException("an attribute vocabulary needs at least one word");
        }
        return p.build();
    }

    /** A shipped vocabulary by name ({@link #SHIPPED}), else the vocabulary file at that path. */
    public static Vocabulary named(String nameOrPath) throws IOException {
        String name = nameOrPath == null ? DOCMNIST : nameOrPath.strip();
        if (SHIPPED.contains(name.toLowerCase(Locale.ROOT))) {
            return shipped(name.toLowerCase(Locale.ROOT));
        }
        Path file = Path.of(name);
        if (!Files.exists(file)) {
            throw new FileFormatException(
                    name,
                    0,
                    "no such vocabulary: neither a shipped one (" + String.join(", ", SHIPPED) + ") nor a file");
        }
        return fromFile(file);
    }

    /** A shipped vocabulary ({@code vocabularies/NAME.txt} beside this class). */
    public static Vocabulary shipped(String name) {
        if (!SHIPPED.contains(name)) {
            throw new IllegalArgumentException(
                    "no shipped vocabulary '" + name + "'; there are " + String.join(", ", SHIPPED));
        }
        return SHIPPED_CACHE.computeIfAbsent(name, n -> {
            String resource = "vocabularies/" + n + ".txt";
            try {
                return parse(RuleLines.resource(Vocabulary.class, resource), resource);
            } catch (IOException e) {
                throw new UncheckedIOException("the shipped vocabulary " + resource + " does not read", e);
            }
        });
    }

    public static Vocabulary fromFile(Path file) throws IOException {
        return parse(RuleLines.read(file), file.toString());
    }

    public static Vocabulary parse(Reader reader, String source) throws IOException {
        return parse(RuleLines.read(reader, source), source);
    }

    private static Vocabulary parse(List<RuleLines.Line> lines, String source) throws IOException {
        Parser p = new Parser(source);
        Map<String, Integer> normalLines = new LinkedHashMap<>();
        Map<String, Integer> neutralLines = new LinkedHashMap<>();
        for (RuleLines.Line line : lines) {
            String t = line.text();
            String type = RuleLines.listName(t);
            if (type != null) {
                p.type = normalId(type);
            } else if (t.startsWith("@")) {
                int space = firstOf(t, ' ', ':');
                String directive = (space < 0 ? t : t.substring(0, space)).toLowerCase(Locale.ROOT);
                String arg = space < 0 ? "" : t.substring(space + 1).strip();
                switch (directive) {
                    case "@ignore" -> p.ignore(splitForms(arg, source, line.number()), line.number());
                    case "@normal" ->
                        normalLines.put(requireArg(normalId(arg), directive, source, line.number()), line.number());
                    case "@neutral" ->
                        neutralLines.put(requireArg(normalId(arg), directive, source, line.number()), line.number());
                    default ->
                        throw new FileFormatException(
                                source,
                                line.number(),
                                "unknown directive " + directive + " (there are @ignore, @normal, @neutral)");
                }
            } else {
                int colon = t.indexOf(':');
                String id = normalId(colon < 0 ? t : t.substring(0, colon));
                if (id.isEmpty()) {
                    throw new FileFormatException(source, line.number(), "an attribute needs an id before the ':'");
                }
                p.attribute(
                        id,
                        colon < 0 ? List.of(t) : splitForms(t.substring(colon + 1), source, line.number()),
                        line.number());
            }
        }
        if (p.ids.isEmpty()) {
            throw new FileFormatException(source, 0, "the vocabulary has no attributes");
        }
        p.flag(normalLines, true);
        p.flag(neutralLines, false);
        return p.build();
    }

    private static int firstOf(String t, char a, char b) {
        int i = t.indexOf(a);
        int j = t.indexOf(b);
        return i < 0 ? j : j < 0 ? i : Math.min(i, j);
    }

    private static String requireArg(String arg, String directive, String source, int line) throws FileFormatException {
        if (arg.isEmpty()) {
            throw new FileFormatException(source, line, directive + " needs an attribute id");
        }
        return arg;
    }

    private static List<String> splitForms(String text, String source, int line) throws FileFormatException {
        List<String> out = new ArrayList<>();
        for (String f : text.split("\\|", -1)) {
            if (f.isBlank()) {
                throw new FileFormatException(
                        source, line, "an empty surface form (two '|' in a row, or one at an end, or none after ':')");
            }
            out.add(f.strip());
        }
        return out;
    }

    private static String[] literalTokens(String word) {
        String[] tokens = java.util.Arrays.stream(Words.tokens(word))
                .filter(t -> !Words.isMark(t))
                .toArray(String[]::new);
        if (tokens.length == 0) {
            throw new IllegalArgumentException("'" + word + "' has no words");
        }
        return tokens;
    }

    static String normalId(String s) {
        return s.strip().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
    }

    /** Attribute ids, in order. */
    public List<String> ids() {
        return ids;
    }

    public int size() {
        return ids.size();
    }

    public String id(int index) {
        return ids.get(index);
    }

    /** The type of attribute {@code index}, or "" when it has none. */
    public String type(int index) {
        return types.get(index);
    }

    public List<String> types() {
        return types;
    }

    /** The types the vocabulary declares, in order of first use; empty when it declares none. */
    public List<String> typeNames() {
        return types.stream().filter(t -> !t.isEmpty()).distinct().toList();
    }

    /** Per attribute, the index of its type in {@link #typeNames()}, or -1 when it has none. */
    public int[] typeIndexes() {
        List<String> names = typeNames();
        return types.stream().mapToInt(names::indexOf).toArray();
    }

    /** The surface forms of attribute {@code index} as written. */
    public List<String> forms(int index) {
        return forms.get(index);
    }

    /** Index of an id (case-insensitive, spaces collapsed), or -1. */
    public int indexOf(String id) {
        return ids.indexOf(normalId(id));
    }

    public boolean isNormal(int index) {
        return normal[index];
    }

    public boolean isNeutral(int index) {
        return neutral[index];
    }

    boolean hasNormal() {
        for (boolean n : normal) {
            if (n) {
                return true;
            }
        }
        return false;
    }

    /**
     * The attributes whose surface forms occur in {@code text}, ascending, whatever the text says about them: plain
     * matching, for text known to state only what it names (DocMNIST's templates). Reports go through
     * {@link FindingExtractor}.
     */
    public int[] mentioned(String text) {
        return matcher.valuesIn(text).stream()
                .mapToInt(Integer::intValue)
                .filter(a -> a != IGNORED)
                .sorted()
                .toArray();
    }

    /** Finds surface forms; the value is the attribute index, {@link #IGNORED} for an @ignore phrase. */
    PhraseMatcher<Integer> matcher() {
        return matcher;
    }

    private static final class Parser {
        final String source;
        final List<String> ids = new ArrayList<>();
        final List<String> types = new ArrayList<>();
        final List<List<String>> forms = new ArrayList<>();
        final Map<String, Integer> index = new HashMap<>();
        final Map<String, Integer> phraseLine = new HashMap<>();
        final PhraseMatcher.Builder<Integer> matcher = PhraseMatcher.builder();
        boolean[] normal;
        boolean[] neutral;
        String type = "";
        boolean literal;

        Parser(String source) {
            this.source = source;
        }

        void attribute(String id, List<String> surface, int line) throws FileFormatException {
            Integer a = index.get(id);
            if (a == null) {
                a = ids.size();
                index.put(id, a);
                ids.add(id);
                types.add(type);
                forms.add(new ArrayList<>());
            }
            for (String form : surface) {
                add(form, a, line);
                forms.get(a).add(form);
            }
        }

        void ignore(List<String> surface, int line) throws FileFormatException {
            for (String form : surface) {
                add(form, IGNORED, line);
            }
        }

        private void add(String form, int attribute, int line) throws FileFormatException {
            List<String[]> phrases;
            try {
                phrases = literal ? List.<String[]>of(literalTokens(form)) : Phrases.expand(form);
            } catch (IllegalArgumentException e) {
                throw new FileFormatException(source, line, e.getMessage());
            }
            for (String[] phrase : phrases) {
                String key = String.join(" ", phrase);
                Integer before = matcher.add(phrase, attribute);
                if (before != null) {
                    String owner = before == IGNORED ? "an @ignore phrase" : "a form of '" + ids.get(before) + "'";
                    throw new FileFormatException(
                            source,
                            line,
                            "'" + key + "' (from '" + form + "') is already " + owner + " (line " + phraseLine.get(key)
                                    + ")");
                }
                phraseLine.putIfAbsent(key, line);
            }
        }

        void flag(Map<String, Integer> named, boolean isNormal) throws FileFormatException {
            if (normal == null) {
                normal = new boolean[ids.size()];
                neutral = new boolean[ids.size()];
            }
            for (Map.Entry<String, Integer> e : named.entrySet()) {
                Integer a = index.get(e.getKey());
                if (a == null) {
                    throw new FileFormatException(
                            source,
                            e.getValue(),
                            (isNormal ? "@normal" : "@neutral") + " names '" + e.getKey()
                                    + "', which is no attribute of this vocabulary");
                }
                if (isNormal && neutral[a] || !isNormal && normal[a]) {
                    throw new FileFormatException(
                            source, e.getValue(), "'" + e.getKey() + "' cannot be both @normal and @neutral");
                }
                (isNormal ? normal : neutral)[a] = true;
            }
        }

        Vocabulary build() {
            if (normal == null) {
                normal = new boolean[ids.size()];
                neutral = new boolean[ids.size()];
            }
            return new Vocabulary(ids, types, forms, normal, neutral, matcher.build());
        }
    }

    @Override
    public String toString() {
        return "Vocabulary" + Collections.unmodifiableList(ids);
    }
}
