package io.wattstream.gateway;

/** Keeps echoed client input in error messages short and on one line. */
final class Texts {

    private static final int MAX = 80;

    private Texts() {
    }

    static String clip(String s) {
        if (s == null) {
            return "null";
        }
        String oneLine = s.replaceAll("\\p{Cntrl}", "?");
        return oneLine.length() <= MAX ? oneLine : oneLine.substring(0, MAX) + "...";
    }
}
