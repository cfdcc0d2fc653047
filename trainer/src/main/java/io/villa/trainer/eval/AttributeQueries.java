package io.villa.trainer.eval;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

import io.villa.trainer.text.WordTokenizer;

/**
 * One text query per attribute: the attribute's sentence templates (their embeddings are averaged).
 * The templates are read off held-out text itself: every distinct sentence that names exactly one
 * attribute word (as a whole word) is a template of that attribute. This keeps the trainer
 * independent of any one source's template list; an attribute no sentence names falls back to
 * the bare word.
 */
public final class AttributeQueries {

    private AttributeQueries() {
    }

    public static Map<String, List<String>> fromTexts(Collection<String> attributes, Collection<String> texts) {
        Map<String, Pattern> patterns = new TreeMap<>();
        for (String a : attributes) {
            patterns.put(a, Pattern.compile("\\b" + Pattern.quote(a.toLowerCase(Locale.ROOT)) + "\\b"));
        }
        Map<String, Set<String>> templates = new TreeMap<>();
        for (String a : patterns.keySet()) {
            templates.put(a, new LinkedHashSet<>());
        }
        for (String text : texts) {
            for (String sentence : WordTokenizer.sentences(text)) {
                String lower = sentence.toLowerCase(Locale.ROOT);
                String only = null;
                int named = 0;
                for (Map.Entry<String, Pattern> e : patterns.entrySet()) {
                    if (e.getValue().matcher(lower).find()) {
                        named++;
                        only = e.getKey();
                    }
                }
                if (named == 1) {
                    templates.get(only).add(lower);
                }
            }
        }
        Map<String, List<String>> out = new TreeMap<>();
        templates.forEach((a, t) -> out.put(a, t.isEmpty() ? List.of(a) : new ArrayList<>(t)));
        return out;
    }
}
