package io.villa.language;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The project's one notion of a word. A word is a run of letters and digits; anything else (space, hyphen, slash,
 * apostrophe, full stop) separates words, so "ET-tube" and "ET tube" are the same two words. The clause marks
 * {@code , ; :} are kept as tokens of their own, because a phrase never spans them and a negation's scope ends at
 * {@code ;} and {@code :}. Words are compared in their {@link #normal normal form}: lower case, a plural ending
 * dropped, so "Effusions" matches "effusion" and "opacities" matches "opacity".
 */
public final class Words {

    /** Token text of the clause marks, which can never be a word. */
    public static final String COMMA = ",";
    public static final String SEMICOLON = ";";
    public static final String COLON = ":";

    private Words() {
    }

    /** The normal forms of the words (and clause marks) of a text, in order. */
    public static String[] tokens(CharSequence text) {
        List<String> out = new ArrayList<>();
        int n = text.length();
        int i = 0;
        while (i < n) {
            char c = text.charAt(i);
            if (Character.isLetterOrDigit(c)) {
                int start = i;
                while (i < n && Character.isLetterOrDigit(text.charAt(i))) {
                    i++;
                }
                out.add(normal(text.subSequence(start, i).toString()));
                continue;
            }
            if (c == ',') {
                out.add(COMMA);
            } else if (c == ';') {
                out.add(SEMICOLON);
            } else if (c == ':') {
                out.add(COLON);
            }
            i++;
        }
        return out.toArray(String[]::new);
    }

    /** True for the tokens that are clause marks rather than words. */
    public static boolean isMark(String token) {
        return token.length() == 1 && !Character.isLetterOrDigit(token.charAt(0));
    }

    /**
     * The form a word is compared in: lower case; a final "s" dropped (not after s, u or i: "mass", "status",
     * "atelectasis"); then "ie" becomes "y" ("opacities", "opacity") and a final "e" of a long word is dropped
     * ("masses" and "mass", "changes" and "change" meet). Not English morphology: only a key that a singular and its
     * plural share. Short words (3 letters or fewer) are only lower-cased, so "one" never meets "on".
     */
    public static String normal(String word) {
        String w = word.toLowerCase(Locale.ROOT);
        int n = w.length();
        if (n <= 3 || !Character.isLetter(w.charAt(n - 1))) {
            return w;
        }
        if (w.charAt(n - 1) == 's') {
            char before = w.charAt(n - 2);
            if (before != 's' && before != 'u' && before != 'i') {
                w = w.substring(0, --n);
            }
        }
        if (n > 3 && w.endsWith("ie")) {
            return w.substring(0, n - 2) + "y";
        }
        if (n >= 5 && w.charAt(n - 1) == 'e') {
            return w.substring(0, n - 1);
        }
        return w;
    }
}
