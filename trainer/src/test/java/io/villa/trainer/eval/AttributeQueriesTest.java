package io.villa.trainer.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class AttributeQueriesTest {

    @Test
    void templatesAreSentencesNamingExactlyOneAttribute() {
        Map<String, List<String>> q = AttributeQueries.fromTexts(List.of("red", "seven", "pleural effusion", "a/b"),
                List.of("the color is RED . the number is a seven . a red seven", "Small pleural effusions. reddish"));
        assertThat(q.get("red")).containsExactly("the color is red");
        assertThat(q.get("seven")).containsExactly("the number is a seven");
        assertThat(q.get("pleural effusion")).containsExactly("small pleural effusions");
        assertThat(q.get("a/b")).containsExactly("a/b"); // named by no sentence: the bare word
    }
}
