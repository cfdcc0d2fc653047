package io.villa.report;

/** Charts and the gallery draw with Java2D on machines without a display: switch AWT to headless unless told otherwise. */
final class Headless {

    private Headless() {
    }

    /** Call before the first AWT use; a value the user set (even "false") is respected. */
    static void ensure() {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }
}
