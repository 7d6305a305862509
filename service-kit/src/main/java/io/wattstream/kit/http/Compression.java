package io.wattstream.kit.http;

import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.WritableHeaders;
import io.helidon.http.encoding.ContentDecoder;
import io.helidon.http.encoding.ContentEncoder;
import io.helidon.http.encoding.ContentEncodingContext;
import io.helidon.http.encoding.ContentEncodingContextConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.zip.GZIPOutputStream;

/**
 * gzip for every answer of a service when the client asks for it ({@code Accept-Encoding}, q-values
 * honoured) and it is worth it: a body of at least {@value #MIN_BYTES} bytes, or a stream of a text
 * type. A Server-Sent Events stream is never compressed (each event must leave at once), nor a stream
 * whose length is already set. A strong {@code ETag} of a compressed answer gets a suffix of its own,
 * as it names another representation. Plugged into Helidon's content encoding of each listener.
 *
 * <p>Helidon calls an encoder in two orders: for a body sent whole, {@code apply} (the bytes) then
 * {@code headers}; for a stream, {@code headers} first, while they can still change. Each encoder is
 * made for one answer and tells the two apart by that order.
 */
public final class Compression implements ContentEncodingContext {

    /** Below this a gzip header and trailer cost more than they save. */
    public static final int MIN_BYTES = 1024;
    static final String GZIP = "gzip";
    static final String ETAG_SUFFIX = "-gz";
    private static final ContentEncodingContextConfig CONFIG = ContentEncodingContextConfig.builder()
            .contentEncodingsDiscoverServices(false)
            .buildPrototype();

    private Compression() {
    }

    public static Compression create() {
        return new Compression();
    }

    @Override
    public ContentEncodingContextConfig prototype() {
        return CONFIG;
    }

    @Override
    public boolean contentEncodingEnabled() {
        return true;
    }

    @Override
    public boolean contentDecodingEnabled() {
        return false;
    }

    @Override
    public boolean contentEncodingSupported(String encodingId) {
        return GZIP.equalsIgnoreCase(encodingId);
    }

    @Override
    public boolean contentDecodingSupported(String encodingId) {
        return false;
    }

    @Override
    public ContentEncoder encoder(String encodingId) {
        if (!contentEncodingSupported(encodingId)) {
            throw new NoSuchElementException("no content encoding " + encodingId);
        }
        return os -> gzip(os);
    }

    @Override
    public ContentDecoder decoder(String encodingId) {
        throw new NoSuchElementException("request bodies are not decoded: " + encodingId);
    }

    @Override
    public ContentEncoder encoder(Headers requestHeaders) {
        return new WorthIt(acceptsGzip(requestHeaders));
    }

    /** True when {@code Accept-Encoding} allows gzip: listed (or {@code *}) with a q-value above 0. */
    public static boolean acceptsGzip(Headers requestHeaders) {
        if (!requestHeaders.contains(HeaderNames.ACCEPT_ENCODING)) {
            return false;
        }
        Double gzip = null;
        Double any = null;
        for (String value : requestHeaders.get(HeaderNames.ACCEPT_ENCODING).allValues()) {
            for (String item : value.split(",")) {
                String[] parts = item.trim().split(";");
                String coding = parts[0].trim().toLowerCase(Locale.ROOT);
                double q = 1;
                for (int i = 1; i < parts.length; i++) {
                    String p = parts[i].trim().toLowerCase(Locale.ROOT);
                    if (p.startsWith("q=")) {
                        try {
                            q = Double.parseDouble(p.substring(2));
                        } catch (NumberFormatException e) {
                            q = 0;
                        }
                    }
                }
                if (coding.equals(GZIP) || coding.equals("x-gzip")) {
                    gzip = q;
                } else if (coding.equals("*")) {
                    any = q;
                }
            }
        }
        double q = gzip != null ? gzip : any != null ? any : 0;
        return q > 0;
    }

    /** A whole body of {@code length} bytes is compressed when the client accepts gzip. */
    static boolean worthIt(int length) {
        return length >= MIN_BYTES;
    }

    /** A stream of this content type is compressed when the client accepts gzip. */
    static boolean compressibleStream(String contentType) {
        String t = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        if (t.startsWith("text/event-stream")) {
            return false;
        }
        return t.startsWith("text/") || t.contains("json") || t.contains("yaml") || t.contains("xml")
                || t.contains("javascript");
    }

    /** The headers of an answer that may or may not be compressed, and of one that is. */
    static void describe(WritableHeaders<?> headers, boolean compressed) {
        headers.add(HeaderNames.VARY, "Accept-Encoding");
        if (compressed) {
            headers.set(HeaderNames.CONTENT_ENCODING, GZIP);
            headers.first(HeaderNames.ETAG)
                    .filter(tag -> tag.startsWith("\"") && tag.endsWith("\""))
                    .ifPresent(tag -> headers.set(HeaderNames.ETAG,
                            tag.substring(0, tag.length() - 1) + ETAG_SUFFIX + "\""));
        }
    }

    /** {@code body} as gzip, whole. */
    static byte[] gzip(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length / 3 + 64);
        try (OutputStream gz = gzip(out)) {
            gz.write(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A gzip stream whose {@code flush} sends what was written so far (a streamed export keeps flowing). */
    static OutputStream gzip(OutputStream out) {
        try {
            return new GZIPOutputStream(out, 8192, true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String contentType(WritableHeaders<?> headers) {
        return headers.first(HeaderNames.CONTENT_TYPE).orElse("");
    }

    /** The encoder of one answer. */
    private static final class WorthIt implements ContentEncoder {

        private final boolean accepted;
        private boolean applied;
        private boolean streaming;
        private boolean compress;

        WorthIt(boolean accepted) {
            this.accepted = accepted;
        }

        @Override
        public OutputStream apply(OutputStream out) {
            applied = true;
            if (streaming) {
                return compress ? gzip(out) : out;
            }
            return new WholeBody(out);
        }

        @Override
        public void headers(WritableHeaders<?> headers) {
            if (applied) {
                // a whole body: compressed or not by now, as WholeBody decided
                if (worthCompressing) {
                    describe(headers, compress);
                }
                return;
            }
            streaming = true;
            boolean varies = compressibleStream(contentType(headers)) && !headers.contains(HeaderNames.CONTENT_LENGTH)
                    && !headers.contains(HeaderNames.CONTENT_ENCODING);
            compress = accepted && varies;
            if (varies) {
                describe(headers, compress);
            }
        }

        private boolean worthCompressing;

        /** Collects the body Helidon hands over whole, then writes it compressed or as it is. */
        private final class WholeBody extends ByteArrayOutputStream {
            private final OutputStream out;

            WholeBody(OutputStream out) {
                this.out = out;
            }

            @Override
            public void close() throws IOException {
                byte[] body = toByteArray();
                worthCompressing = worthIt(body.length);
                compress = accepted && worthCompressing;
                out.write(compress ? gzip(body) : body);
                out.close();
            }
        }
    }
}
