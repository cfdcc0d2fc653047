package io.villa.deid;

import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Removes protected health information from free report text, replacing each piece with a placeholder
 * ({@code [NAME]}, {@code [ID]}, {@code [DATE]}, {@code [PHONE]}, {@code [ADDRESS]}, {@code [EMAIL]}). What it removes,
 * in this order (README.md, "What is de-identified", lists the same):
 *
 * <ol>
 *   <li>e-mail addresses → {@code [EMAIL]};</li>
 *   <li>the phone numbers known from the message ({@link Builder#optPhones}), as written there → {@code [PHONE]};</li>
 *   <li>the ids known from the message (patient ids, accession and order numbers, message id: {@link Builder#optIds}),
 *       as whole tokens, case-insensitively → {@code [ID]};</li>
 *   <li>the patient's known address parts ({@link Builder#optAddresses}) → {@code [ADDRESS]};</li>
 *   <li>the known names ({@link Builder#optNames}: every component of every name of the message, and each part of a
 *       hyphenated or spaced one) as whole words, case-insensitively, wherever they occur, even where a name is also an
 *       ordinary word → {@code [NAME]};</li>
 *   <li>DICOM-style UIDs (four or more dot-separated numbers, one of them of three or more digits) → {@code [ID]};</li>
 *   <li>dates with a year, with an optional time after them: 2024-03-05, 05/03/2024, 5.3.24, 20240305, 5 March 2024,
 *       March 5th, 2024, Mar 2024, Tuesday, March 5 2024 14:30; and day-month dates written out without a year
 *       (5 March, March 5th; "May" beside a day only so capitalised) → {@code [DATE]};</li>
 *   <li>social-security-like numbers (123-45-6789) → {@code [ID]};</li>
 *   <li>phone numbers: (555) 123-4567, 555-123-4567, 555.123.4567, +1 555 123 4567, +44 20 7946 0958, 123-4567
 *       → {@code [PHONE]};</li>
 *   <li>record numbers after a label (MRN, MR#, medical record, record, patient/hospital id, accession, acc, account,
 *       acct, visit, encounter, order, requisition, SSN, NHS, chart, case, ID, no./number/#) when they contain three
 *       or more digits → the label stays, the number becomes {@code [ID]};</li>
 *   <li>any other run of six or more digits, with up to three letters before it (A1234567) → {@code [ID]}.</li>
 * </ol>
 *
 * <p>Clinical text stays: measurements (2.5 cm, 3 mm, 1.2 x 3.4 cm), vertebral levels (T7, L1-L2, C5-6), ratios and
 * fractions without a year (5/10, 1:10), times on their own and short numbers. Numeric day/month dates without a year
 * (05/03) are kept, since they cannot be told from fractions. Thread-safe and immutable; linear in the text length
 * (no nested quantifiers).
 */
public final class ReportScrubber {

    /** What a placeholder stands for. */
    public enum Kind {
        NAME, ID, DATE, PHONE, ADDRESS, EMAIL;

        /** The text that replaces a removed piece, e.g. {@code [NAME]}. */
        public String placeholder() {
            return "[" + name() + "]";
        }
    }

    /** The scrubbed text and how many pieces of each kind were removed (counts are safe to log; the text is not). */
    public record Scrubbed(String text, Map<Kind, Integer> removed) {
        public int total() {
            return removed.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    /** Shortest known id that is removed: shorter ones ("1", "A2") would take clinical numbers with them. */
    public static final int MIN_ID_CHARS = 3;
    /** Shortest known name (part) that is removed. */
    public static final int MIN_NAME_CHARS = 2;
    /** Most known values of one kind: a hostile message cannot make the patterns unbounded. */
    public static final int MAX_KNOWN_VALUES = 1_000;
    /** Longest known value considered. */
    public static final int MAX_KNOWN_VALUE_CHARS = 200;

    private static final String OTHER_MONTHS = "jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|june?|july?"
            + "|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?";
    /** Month names beside a day; "May" only so written, since "2 may represent" (or "2 MAY REPRESENT") is no date. */
    private static final String MONTH = "(?:" + OTHER_MONTHS + "|(?-i:May))\\.?";
    /** Month names beside a year: any case. */
    private static final String MONTH_ANY_CASE = "(?:" + OTHER_MONTHS + "|may)\\.?";
    private static final String WEEKDAY = "(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\\.?,?\\s+)?";
    private static final String DAY = "(?:0?[1-9]|[12]\\d|3[01])(?:st|nd|rd|th)?";
    private static final String YEAR = "(?:19|20)\\d{2}";
    /** An optional time after a date: " 14:30", " at 2:30 pm", "T14:30:00Z", " 1430h". */
    private static final String TIME = "(?:(?:,?\\s+(?:at\\s+)?|T)(?:[01]?\\d|2[0-3])[:.h]?[0-5]\\d(?::[0-5]\\d(?:\\.\\d+)?)?"
            + "(?:\\s?[ap]\\.?m\\.?)?(?:Z|[+-]\\d{2}:?\\d{2})?(?![\\w:]))?";
    private static final String NOT_BEFORE = "(?<![\\w./-])";
    private static final String NOT_AFTER = "(?![\\w]|[./-]\\d)";

    private static final Pattern EMAIL = Pattern.compile("(?<![\\w.+-])[\\w.+-]{1,64}@[\\w-]{1,63}(?:\\.[\\w-]{1,63}){1,8}");
    private static final Pattern UID = Pattern.compile(NOT_BEFORE + "(?=[\\d.]*\\d{3})\\d{1,20}(?:\\.\\d{1,20}){3,40}" + NOT_AFTER);
    private static final Pattern DATE = Pattern.compile(NOT_BEFORE + "(?=[\\dadfjmnostw])(?:"
            // ISO and compact: 2024-03-05, 2024/3/5, 2024.03.05, 20240305
            + YEAR + "([-/.])(?:0?[1-9]|1[0-2])\\1(?:0?[1-9]|[12]\\d|3[01])"
            + "|" + YEAR + "(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\\d|3[01])"
            // numeric with the year last: 05/03/2024, 5-3-24, 5.3.2024
            + "|(?:0?[1-9]|[12]\\d|3[01])([-/.])(?:0?[1-9]|[12]\\d|3[01])\\2(?:" + YEAR + "|\\d{2})"
            // written out: [Tuesday,] 5 March 2024, 5th of March, 2024, March 5th, 2024, March 2024, Mar 5
            + "|" + WEEKDAY + DAY + "(?:\\s+of)?[\\s-]+" + MONTH + "(?:,?[\\s-]+" + YEAR + ")?"
            + "|" + WEEKDAY + MONTH + "[\\s-]+" + DAY + "(?:,?\\s+" + YEAR + ")?(?![:\\d])"
            + "|" + MONTH_ANY_CASE + ",?\\s+" + YEAR
            + ")" + TIME + NOT_AFTER, Pattern.CASE_INSENSITIVE);
    private static final Pattern SSN = Pattern.compile(NOT_BEFORE + "\\d{3}-\\d{2}-\\d{4}" + NOT_AFTER);
    private static final Pattern PHONE = Pattern.compile("(?<![\\w.+/-])(?:"
            + "(?:\\+\\d{1,3}[\\s.-]?)?(?:\\(\\d{2,5}\\)\\s?|\\d{2,5}[\\s.-])\\d{3,4}[\\s.-]\\d{3,4}"
            + "|\\+\\d{1,3}[\\s.-]?\\d{2,5}[\\s.-]\\d{3,4}[\\s.-]?\\d{3,4}"
            + "|\\d{3}-\\d{4}"
            + ")(?:\\s?(?:x|ext\\.?)\\s?\\d{1,5})?" + NOT_AFTER, Pattern.CASE_INSENSITIVE);
    private static final Pattern LABELLED_NUMBER = Pattern.compile("\\b((?:mrn|mr\\s?#|medical\\s+record|record|patient\\s+id"
            + "|hospital\\s+id|accession|acc|account|acct|visit|encounter|order|requisition|ssn|nhs|chart|case|id)"
            + "(?:\\s*(?:no\\.?|number|nr\\.?|#))?\\s*[:#=.]?\\s*)((?=(?:[A-Z/-]{0,8}\\d){3})[A-Z0-9][A-Z0-9/-]{1,40})(?![\\w-])",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern LONG_NUMBER = Pattern.compile("(?<![\\w.])[A-Z]{0,3}\\d{6,}(?!\\w)", Pattern.CASE_INSENSITIVE);

    private final Pattern ids;
    private final Pattern addresses;
    private final Pattern names;
    private final Pattern phones;

    private ReportScrubber(Builder builder) {
        this.ids = literals(builder.ids);
        this.phones = literals(builder.phones);
        this.addresses = literals(builder.addresses);
        this.names = literals(builder.names);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A scrubber that knows no names or ids: patterns only. */
    public static ReportScrubber patternsOnly() {
        return builder().build();
    }

    /** The text with every piece of PHI this scrubber finds replaced by its placeholder. */
    public Scrubbed scrub(String text) {
        Objects.requireNonNull(text, "text");
        Map<Kind, Integer> removed = new EnumMap<>(Kind.class);
        String out = text;
        if (out.indexOf('@') >= 0) { // most reports have none: skip the scan
            out = replace(out, EMAIL, Kind.EMAIL, removed);
        }
        out = replace(out, phones, Kind.PHONE, removed);
        out = replace(out, ids, Kind.ID, removed);
        out = replace(out, addresses, Kind.ADDRESS, removed);
        out = replace(out, names, Kind.NAME, removed);
        out = replace(out, UID, Kind.ID, removed);
        out = replace(out, DATE, Kind.DATE, removed);
        out = replace(out, SSN, Kind.ID, removed);
        out = replace(out, PHONE, Kind.PHONE, removed);
        out = replaceLabelled(out, removed);
        out = replace(out, LONG_NUMBER, Kind.ID, removed);
        return new Scrubbed(out, Map.copyOf(removed));
    }

    private static String replace(String text, Pattern pattern, Kind kind, Map<Kind, Integer> removed) {
        if (pattern == null) {
            return text;
        }
        Matcher matcher = pattern.matcher(text);
        StringBuilder out = null;
        int count = 0;
        while (matcher.find()) {
            if (out == null) {
                out = new StringBuilder(text.length());
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(kind.placeholder()));
            count++;
        }
        if (out == null) {
            return text;
        }
        matcher.appendTail(out);
        removed.merge(kind, count, Integer::sum);
        return out.toString();
    }

    private static String replaceLabelled(String text, Map<Kind, Integer> removed) {
        Matcher matcher = LABELLED_NUMBER.matcher(text);
        StringBuilder out = new StringBuilder(text.length());
        int count = 0;
        while (matcher.find()) {
            matcher.appendReplacement(out, Matcher.quoteReplacement(matcher.group(1) + Kind.ID.placeholder()));
            count++;
        }
        if (count == 0) {
            return text;
        }
        matcher.appendTail(out);
        removed.merge(Kind.ID, count, Integer::sum);
        return out.toString();
    }

    /** One case-insensitive alternation of the values as whole tokens, longest first; null when there are none. */
    private static Pattern literals(Set<String> values) {
        if (values.isEmpty()) {
            return null;
        }
        String alternation = values.stream()
                .sorted(Comparator.comparingInt(String::length).reversed().thenComparing(Comparator.naturalOrder()))
                .map(Pattern::quote)
                .collect(Collectors.joining("|"));
        return Pattern.compile("(?<![\\p{L}\\p{N}])(?:" + alternation + ")(?![\\p{L}\\p{N}])",
                Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    }

    /** Collects what the message knows; every {@code opt*} may be called many times, and all are optional. */
    public static final class Builder {
        private final Set<String> names = new LinkedHashSet<>();
        private final Set<String> ids = new LinkedHashSet<>();
        private final Set<String> addresses = new LinkedHashSet<>();
        private final Set<String> phones = new LinkedHashSet<>();

        private Builder() {
        }

        /**
         * Names to remove: each is taken whole and split at spaces, hyphens and apostrophes, and every part of
         * {@value #MIN_NAME_CHARS}+ letters is removed wherever it occurs as a word. Blank or null values are skipped.
         */
        public Builder optNames(Collection<String> values) {
            for (String value : Objects.requireNonNull(values, "names")) {
                if (value == null) {
                    continue;
                }
                String name = value.strip();
                add(names, name, MIN_NAME_CHARS, "names");
                for (String part : name.split("[\\s\\-'’.,]+")) {
                    add(names, part, MIN_NAME_CHARS, "names");
                }
            }
            return this;
        }

        /** Ids to remove as whole tokens ({@value #MIN_ID_CHARS}+ characters); blank or null values are skipped. */
        public Builder optIds(Collection<String> values) {
            for (String value : Objects.requireNonNull(values, "ids")) {
                if (value != null) {
                    add(ids, value.strip(), MIN_ID_CHARS, "ids");
                }
            }
            return this;
        }

        /** Address parts (street line, city) to remove as whole phrases ({@value #MIN_ID_CHARS}+ characters). */
        public Builder optAddresses(Collection<String> values) {
            for (String value : Objects.requireNonNull(values, "addresses")) {
                if (value != null) {
                    add(addresses, value.strip(), MIN_ID_CHARS, "addresses");
                }
            }
            return this;
        }

        /** Phone numbers known from the message, removed as written there ({@value #MIN_ID_CHARS}+ characters). */
        public Builder optPhones(Collection<String> values) {
            for (String value : Objects.requireNonNull(values, "phones")) {
                if (value != null) {
                    add(phones, value.strip(), MIN_ID_CHARS, "phones");
                }
            }
            return this;
        }

        private static void add(Set<String> into, String value, int minChars, String field) {
            if (value.length() < minChars || value.length() > MAX_KNOWN_VALUE_CHARS
                    || value.codePoints().noneMatch(Character::isLetterOrDigit)) {
                return;
            }
            if (into.size() >= MAX_KNOWN_VALUES) {
                throw new IllegalArgumentException(field + ": more than " + MAX_KNOWN_VALUES + " values");
            }
            into.add(value.toLowerCase(Locale.ROOT));
        }

        public ReportScrubber build() {
            return new ReportScrubber(this);
        }
    }
}
