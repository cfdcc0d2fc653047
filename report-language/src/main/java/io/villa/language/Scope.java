package io.villa.language;

import java.util.List;

/**
 * NegEx-style polarity of the mentions in one sentence. From each mention the nearest trigger is looked for, backwards
 * for a pre-trigger ("no", "possible"), forwards for a post-trigger ("is not seen", "cannot be excluded"); the
 * nearer of the two decides, a pre-trigger on a tie. A search stops at a clause end ({@code ;} or {@code :}), at a
 * termination phrase ("but", "however", "which"), at any other trigger (a pseudo-trigger such as "no change in"
 * found first leaves the mention positive), and after a window of words outside mentions (function words such as
 * "the", "of", "is" not counted), so "No pneumothorax,
 * pleural effusion or focal consolidation" negates all three while a later clause is not reached. A trigger lying
 * wholly inside a mention is part of the mention ("no acute cardiopulmonary process" names a normal report).
 */
final class Scope {

    /**
     * Function words, which do not count towards a window: "The nodule seen on the prior study is no longer visualized"
     * is three words (seen, prior, study) from its trigger. In normal form (see {@link Words#normal}).
     */
    private static final java.util.Set<String> FUNCTION_WORDS = java.util.Set.of("the", "a", "an", "of", "on", "in", "at", "to",
            "is", "are", "was", "were", "be", "been", "has", "have", "had", "and", "or", "this", "that", "these", "those");

    /**
     * Most tokens a search walks, whatever they are: a long list ("no A, B, C, ...") stays in reach, and a hostile
     * sentence of thousands of mentions costs linear time, not quadratic.
     */
    static final int MAX_TOKENS = 64;

    /** Words (outside mentions) a pre-trigger reaches forwards. */
    static final int PRE_WINDOW = 8;
    /** Words (outside mentions) a post-trigger reaches backwards. */
    static final int POST_WINDOW = 4;

    private Scope() {
    }

    /**
     * @param tokens   the sentence's tokens
     * @param mentions the mentions found in them, in order
     * @param triggers the triggers found in them, in order
     * @return per mention, its polarity
     */
    static Polarity[] polarities(String[] tokens, List<PhraseMatcher.Match<Integer>> mentions,
                                 List<PhraseMatcher.Match<TriggerKind>> triggers) {
        int n = tokens.length;
        boolean[] inMention = new boolean[n];
        for (PhraseMatcher.Match<Integer> m : mentions) {
            for (int i = m.start(); i < m.end(); i++) {
                inMention[i] = true;
            }
        }
        PhraseMatcher.Match<TriggerKind>[] startingAt = newArray(n);
        PhraseMatcher.Match<TriggerKind>[] endingAt = newArray(n);
        for (PhraseMatcher.Match<TriggerKind> t : triggers) {
            if (!inside(t, inMention)) {
                startingAt[t.start()] = t;
                endingAt[t.end() - 1] = t;
            }
        }
        Polarity[] out = new Polarity[mentions.size()];
        for (int k = 0; k < mentions.size(); k++) {
            PhraseMatcher.Match<Integer> m = mentions.get(k);
            int preDistance = Integer.MAX_VALUE;
            TriggerKind pre = null;
            int words = 0;
            for (int i = m.start() - 1; i >= 0 && m.start() - i <= MAX_TOKENS; i--) {
                if (isClauseEnd(tokens[i])) {
                    break;
                }
                PhraseMatcher.Match<TriggerKind> t = endingAt[i];
                if (t != null) {
                    if (t.value().before() || t.value() == TriggerKind.PSEUDO) {
                        pre = t.value();
                        preDistance = m.start() - t.end();
                    }
                    break;
                }
                if (counts(tokens[i], inMention[i]) && ++words > PRE_WINDOW) {
                    break;
                }
            }
            int postDistance = Integer.MAX_VALUE;
            TriggerKind post = null;
            words = 0;
            for (int i = m.end(); i < n && i - m.end() < MAX_TOKENS; i++) {
                if (isClauseEnd(tokens[i])) {
                    break;
                }
                PhraseMatcher.Match<TriggerKind> t = startingAt[i];
                if (t != null) {
                    if (t.value().after() || t.value() == TriggerKind.PSEUDO) {
                        post = t.value();
                        postDistance = t.start() - m.end();
                    }
                    break;
                }
                if (counts(tokens[i], inMention[i]) && ++words > POST_WINDOW) {
                    break;
                }
            }
            TriggerKind nearest = preDistance <= postDistance ? pre : post;
            out[k] = nearest == null ? Polarity.POSITIVE : nearest.polarity();
        }
        return out;
    }

    /** Whether a token counts towards a window: a word outside mentions that is not a function word. */
    private static boolean counts(String token, boolean inMention) {
        return !inMention && !Words.isMark(token) && !FUNCTION_WORDS.contains(token);
    }

    private static boolean inside(PhraseMatcher.Match<TriggerKind> t, boolean[] inMention) {
        for (int i = t.start(); i < t.end(); i++) {
            if (!inMention[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean isClauseEnd(String token) {
        return token.equals(Words.SEMICOLON) || token.equals(Words.COLON);
    }

    @SuppressWarnings("unchecked")
    private static PhraseMatcher.Match<TriggerKind>[] newArray(int n) {
        return (PhraseMatcher.Match<TriggerKind>[]) new PhraseMatcher.Match[n];
    }
}
