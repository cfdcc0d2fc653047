package io.villa.language;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The phrase syntax of vocabulary and trigger files. A phrase is words separated by spaces; a word may list
 * alternatives with {@code /} ({@code mildly/moderately/markedly}) and be made optional with a final {@code ?}
 * ({@code size?}). {@code heart size? is mildly/markedly? enlarged} stands for six phrases. Punctuation inside a word
 * separates words, as in the text ("ET-tube" is "et tube"), so a literal "r/o" is written "r o".
 */
public final class Phrases {

    /** Most phrases one line may stand for: a guard against a typo that multiplies alternatives. */
    public static final int MAX_EXPANSIONS = 256;

    private Phrases() {
    }

    /**
     * The phrases {@code text} stands for, each as normal-form tokens (see {@link Words}).
     *
     * @throws IllegalArgumentException saying what is wrong: no words, a clause mark inside, too many phrases
     */
    public static List<String[]> expand(String text) {
        List<List<String>> out = new ArrayList<>();
        out.add(List.of());
        for (String word : text.trim().split("\\s+")) {
            if (word.isEmpty()) {
                continue;
            }
            boolean optional = word.endsWith("?");
            String body = optional ? word.substring(0, word.length() - 1) : word;
            List<String[]> choices = new ArrayList<>();
            for (String alternative : body.split("/", -1)) {
                String[] tokens = Words.tokens(alternative);
                for (String t : tokens) {
                    if (Words.isMark(t)) {
                        throw new IllegalArgumentException("'" + t + "' cannot be part of a phrase (in '" + text.trim() + "')");
                    }
                }
                if (tokens.length == 0 && !optional) {
                    throw new IllegalArgumentException("'" + word + "' has an empty alternative (in '" + text.trim() + "')");
                }
                choices.add(tokens);
            }
            if (optional) {
                choices.add(new String[0]);
            }
            List<List<String>> next = new ArrayList<>();
            for (List<String> prefix : out) {
                for (String[] choice : choices) {
                    List<String> p = new ArrayList<>(prefix);
                    p.addAll(Arrays.asList(choice));
                    next.add(p);
                }
            }
            if (next.size() > MAX_EXPANSIONS) {
                throw new IllegalArgumentException("'" + text.trim() + "' stands for more than " + MAX_EXPANSIONS + " phrases");
            }
            out = next;
        }
        List<String[]> phrases = new ArrayList<>();
        for (List<String> p : out) {
            if (!p.isEmpty()) {
                phrases.add(p.toArray(String[]::new));
            }
        }
        if (phrases.isEmpty()) {
            throw new IllegalArgumentException("'" + text.trim() + "' has no words");
        }
        return phrases;
    }
}
