package io.wattstream.query;

import io.wattstream.kit.ServiceMain;

/** Runs the query API and dashboard as their own process. */
public final class Main {

    public static void main(String[] args) {
        ServiceMain.run("query-api", QuerySettings.TABLE, QueryApp::start);
    }

    private Main() {
    }
}
