package io.villa.producers.dicomweb;

/** Checks a UID before it goes into a URL path: a UID is digits and dots, at most 64 characters (PS3.5 9.1). */
final class UidPaths {

    static final int MAX_UID_CHARS = 64;

    private UidPaths() {
    }

    /** @throws IllegalArgumentException without quoting the value (a UID is an identifier) */
    static String segment(String uid) {
        if (uid.isEmpty() || uid.length() > MAX_UID_CHARS) {
            throw new IllegalArgumentException("a UID of " + uid.length() + " characters (1 to 64 allowed)");
        }
        for (int i = 0; i < uid.length(); i++) {
            char c = uid.charAt(i);
            if ((c < '0' || c > '9') && c != '.') {
                throw new IllegalArgumentException("a UID with a character other than digits and dots");
            }
        }
        return uid;
    }
}
