package io.wattstream.streams.app;

import io.wattstream.kit.ServiceMain;

/** Runs the stream processor as its own process. */
public final class StreamsMain {

    public static void main(String[] args) {
        ServiceMain.run("streams-processor", StreamsSettings.TABLE, StreamsApp::start);
    }

    private StreamsMain() {
    }
}
