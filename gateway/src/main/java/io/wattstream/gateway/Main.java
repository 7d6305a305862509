package io.wattstream.gateway;

import io.wattstream.kit.ServiceMain;

/** Runs the gateway as its own process. */
public final class Main {

    public static void main(String[] args) {
        ServiceMain.run("gateway", GatewaySettings.TABLE, GatewayApp::start);
    }

    private Main() {
    }
}
