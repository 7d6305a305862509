package io.wattstream.notifier;

import io.wattstream.kit.ServiceMain;

/** Runs the notifier as its own process. */
public final class Main {

    public static void main(String[] args) {
        ServiceMain.run("notifier", NotifierSettings.TABLE, NotifierApp::start);
    }

    private Main() {
    }
}
