package io.wattstream.kit.http;

import io.helidon.common.GenericType;
import io.helidon.common.uri.UriQuery;
import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.ServerResponseTrailers;
import io.helidon.http.Status;
import io.helidon.webserver.http.spi.Sink;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.UnaryOperator;

/**
 * The answer to a {@code HEAD}: the {@code GET} handler runs as it would, and this response keeps its
 * status and headers but sends no body. {@code Content-Length} is what the {@code GET} would have
 * sent, compression included; a streamed body is counted, not sent. An endless stream (Server-Sent
 * Events) answers a {@code HEAD} itself (see {@link Endpoints#isHead}).
 */
final class HeadResponse implements ServerResponse {

    private final ServerRequest req;
    private final ServerResponse res;

    private HeadResponse(ServerRequest req, ServerResponse res) {
        this.req = req;
        this.res = res;
    }

    static Handler handler(Handler get) {
        return (req, res) -> get.handle(req, new HeadResponse(req, res));
    }

    @Override
    public ServerResponse status(Status status) {
        res.status(status);
        return this;
    }

    @Override
    public Status status() {
        return res.status();
    }

    @Override
    public ServerResponse header(Header header) {
        res.header(header);
        return this;
    }

    @Override
    public void send() {
        res.send();
    }

    @Override
    public void send(byte[] bytes) {
        send(bytes, 0, bytes.length);
    }

    @Override
    public void send(byte[] bytes, int position, int length) {
        if (length == 0) {
            res.send();
            return;
        }
        byte[] body = position == 0 && length == bytes.length ? bytes : java.util.Arrays.copyOfRange(bytes, position,
                position + length);
        boolean compress = false;
        if (Compression.worthIt(body.length) && !res.headers().contains(HeaderNames.CONTENT_ENCODING)) {
            compress = Compression.acceptsGzip(req.headers());
            Compression.describe(res.headers(), compress);
        }
        res.headers().contentLength(compress ? Compression.gzip(body).length : body.length);
        res.send();
    }

    @Override
    public void send(Object entity) {
        if (entity instanceof byte[] b) {
            send(b);
        } else if (entity instanceof String s) {
            send(s.getBytes(StandardCharsets.UTF_8));
        } else {
            throw new IllegalStateException("a HEAD answers bytes or text only, not " + entity.getClass().getName());
        }
    }

    @Override
    public boolean isSent() {
        return res.isSent();
    }

    /** Counts what the GET would stream (compressed as it would be) and sends only the headers. */
    @Override
    public OutputStream outputStream() {
        boolean compress = false;
        ServerResponseHeaders h = res.headers();
        if (!h.contains(HeaderNames.CONTENT_LENGTH) && !h.contains(HeaderNames.CONTENT_ENCODING)
                && Compression.compressibleStream(Compression.contentType(h))) {
            compress = Compression.acceptsGzip(req.headers());
            Compression.describe(h, compress);
        }
        Counting counting = new Counting();
        return compress ? Compression.gzip(counting) : counting;
    }

    private final class Counting extends OutputStream {
        private long count;
        private boolean closed;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                res.headers().contentLength(count);
                res.send();
            }
        }
    }

    @Override
    public long bytesWritten() {
        return res.bytesWritten();
    }

    @Override
    public ServerResponse whenSent(Runnable listener) {
        res.whenSent(listener);
        return this;
    }

    @Override
    public ServerResponse beforeSend(Runnable listener) {
        res.beforeSend(listener);
        return this;
    }

    @Override
    public ServerResponse reroute(String newPath) {
        res.reroute(newPath);
        return this;
    }

    @Override
    public ServerResponse reroute(String path, UriQuery query) {
        res.reroute(path, query);
        return this;
    }

    @Override
    public ServerResponse next() {
        res.next();
        return this;
    }

    @Override
    public ServerResponseHeaders headers() {
        return res.headers();
    }

    @Override
    public ServerResponseTrailers trailers() {
        return res.trailers();
    }

    @Override
    public void streamResult(String result) {
        res.streamResult(result);
    }

    @Override
    public <T extends Sink<?>> T sink(GenericType<T> sinkType) {
        throw new IllegalStateException("an endless stream answers HEAD itself (Endpoints.isHead)");
    }

    @Override
    public void streamFilter(UnaryOperator<OutputStream> filterFunction) {
        res.streamFilter(filterFunction);
    }
}
