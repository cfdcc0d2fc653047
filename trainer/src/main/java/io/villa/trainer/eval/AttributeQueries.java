package io.villa.trainer.eval;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.villa.language.PhraseMatcher;
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
        Map<String, Set<String>> templates = new TreeMap<>();
        for (String a : attributes) {
            templates.put(a, new LinkedHashSet<>());
        }
        PhraseMatcher<String> words = PhraseMatcher.literal(templates.keySet());
        for (String text : texts) {
            for (String sentence : WordTokenizer.sentences(text)) {
                Set<String> named = words.valuesIn(sentence);
                if (named.size() == 1) {
                    templates.get(named.iterator().next()).add(sentence.toLowerCase(Locale.ROOT));
                }
            }
        }
        Map<String, List<String>> out = new TreeMap<>();
        templates.forEach((a, t) -> out.put(a, t.isEmpty() ? List.of(a) : new ArrayList<>(t)));
        return out;
    }
}
