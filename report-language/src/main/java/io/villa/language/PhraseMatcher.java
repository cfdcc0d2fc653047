package io.villa.language;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The project's one word matcher: finds phrases in a token sequence ({@link Words#tokens}) as whole words, in their
 * normal form (case, plural), leftmost first and, at one position, longest first; matches never overlap, so
 * "pleural effusion" is one match, not also "effusion". Phrases never span a clause mark.
 *
 * @param <T> what a phrase stands for (an attribute index, a trigger kind)
 */
public final class PhraseMatcher<T extends Serializable> implements Serializable {

    private static final long serialVersionUID = 1L;

    /** A phrase found at tokens [start, end). */
    public record Match<T>(int start, int end, T value) {
    }

    private record Entry<T>(String[] tokens, T value) implements Serializable {
    }

    /** Phrases by their first token, longest first. */
    private final HashMap<String, List<Entry<T>>> byFirst;

    private PhraseMatcher(HashMap<String, List<Entry<T>>> byFirst) {
        this.byFirst = byFirst;
    }

    public static <T extends Serializable> Builder<T> builder() {
        return new Builder<>();
    }

    /**
     * A matcher whose phrases stand for themselves, taken literally (their words, no {@link Phrases} syntax: they may
     * come from data): each found in a text gives that phrase as given. For plain "does this text name this word"
     * questions. A phrase without words never matches; of two phrases with the same words the first is kept.
     */
    public static PhraseMatcher<String> literal(java.util.Collection<String> phrases) {
        Builder<String> b = builder();
        for (String phrase : phrases) {
            String[] tokens = java.util.Arrays.stream(Words.tokens(phrase)).filter(t -> !Words.isMark(t)).toArray(String[]::new);
            if (tokens.length > 0) {
                b.add(tokens, phrase);
            }
        }
        return b.build();
    }

    /** The distinct values of the phrases found in {@code text}, in order of first appearance. */
    public java.util.Set<T> valuesIn(String text) {
        java.util.Set<T> out = new java.util.LinkedHashSet<>();
        for (Match<T> m : find(Words.tokens(text))) {
            out.add(m.value());
        }
        return out;
    }

    /** Non-overlapping matches, leftmost-longest, in order. */
    public List<Match<T>> find(String[] tokens) {
        List<Match<T>> out = new ArrayList<>();
        int i = 0;
        while (i < tokens.length) {
            Entry<T> hit = longestAt(tokens, i);
            if (hit == null) {
                i++;
            } else {
                out.add(new Match<>(i, i + hit.tokens.length, hit.value));
                i += hit.tokens.length;
            }
        }
        return out;
    }

    private Entry<T> longestAt(String[] tokens, int at) {
        List<Entry<T>> candidates = byFirst.get(tokens[at]);
        if (candidates == null) {
            return null;
        }
        for (Entry<T> e : candidates) {
            String[] p = e.tokens;
            if (at + p.length > tokens.length) {
                continue;
            }
            int k = 1;
            while (k < p.length && p[k].equals(tokens[at + k])) {
                k++;
            }
            if (k == p.length) {
                return e;
            }
        }
        return null;
    }

    /** The value of {@code phrase} (normal-form tokens) when it was added, else null. */
    public T valueOf(String[] phrase) {
        List<Entry<T>> candidates = phrase.length == 0 ? null : byFirst.get(phrase[0]);
        if (candidates != null) {
            for (Entry<T> e : candidates) {
                if (Arrays.equals(e.tokens, phrase)) {
                    return e.value;
                }
            }
        }
        return null;
    }

    /** Collects phrases; a phrase added twice must stand for the same value. */
    public static final class Builder<T extends Serializable> {
        private final Map<String, List<Entry<T>>> byFirst = new HashMap<>();

        private Builder() {
        }

        /**
         * Adds one phrase (normal-form tokens, see {@link Phrases#expand}).
         *
         * @return the value the phrase already stood for when it differs from {@code value}, else null (added)
         */
        public T add(String[] tokens, T value) {
            Objects.requireNonNull(value, "value");
            if (tokens.length == 0) {
                throw new IllegalArgumentException("a phrase needs at least one word");
            }
            List<Entry<T>> list = byFirst.computeIfAbsent(tokens[0], k -> new ArrayList<>());
            for (Entry<T> e : list) {
                if (Arrays.equals(e.tokens, tokens)) {
                    return e.value.equals(value) ? null : e.value;
                }
            }
            list.add(new Entry<>(tokens.clone(), value));
            return null;
        }

        public PhraseMatcher<T> build() {
            HashMap<String, List<Entry<T>>> sorted = new HashMap<>();
            byFirst.forEach((first, list) -> {
                List<Entry<T>> l = new ArrayList<>(list);
                l.sort(Comparator.comparingInt((Entry<T> e) -> -e.tokens.length));
                sorted.put(first, l);
            });
            return new PhraseMatcher<>(sorted);
        }
    }
}
