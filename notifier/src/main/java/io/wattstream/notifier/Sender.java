package io.wattstream.notifier;

import io.wattstream.model.NotifyChannel;
import java.time.Instant;

/** Sends one transition to one channel, once; retrying is the caller's job. */
interface Sender {

    Attempt send(NotifyChannel channel, Transition transition, Instant sentAt) throws InterruptedException;
}
