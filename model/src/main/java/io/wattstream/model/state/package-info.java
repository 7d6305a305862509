/**
 * The contract of the stream processor's {@code /state} service: the records its state service writes
 * and the query API reads, so both sides share one definition.
 */
package io.wattstream.model.state;
