package io.wattstream.reliability;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * HTTP/1.1 over a plain socket, for requests no well-behaved client would send (bytes that are not a
 * valid request line, huge headers, a body that trickles in).
 */
final class RawHttp {

    /** Status and body of an answer; status -1 when the server closed without answering. */
    record Answer(int status, String text, long millis) {
    }

    private RawHttp() {
    }

    static Answer send(int port, byte[] request, int timeoutMs) {
        long t0 = System.nanoTime();
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(timeoutMs);
            OutputStream out = s.getOutputStream();
            try {
                out.write(request);
                out.flush();
            } catch (IOException e) {
                // The server may answer and close before reading everything (e.g. 413): read what it said.
            }
            return read(s.getInputStream(), t0);
        } catch (IOException e) {
            return new Answer(-1, e.toString(), (System.nanoTime() - t0) / 1_000_000);
        }
    }

    static Answer read(InputStream in, long t0) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            int n;
            while ((n = in.read(buf)) >= 0) {
                got.write(buf, 0, n);
                String text = got.toString(StandardCharsets.ISO_8859_1);
                if (complete(text)) {
                    break;
                }
            }
        } catch (SocketTimeoutException | java.net.SocketException e) {
            if (got.size() == 0) {
                return new Answer(-1, e.toString(), (System.nanoTime() - t0) / 1_000_000);
            }
        }
        String text = got.toString(StandardCharsets.UTF_8);
        int status = -1;
        if (text.startsWith("HTTP/1.")) {
            status = Integer.parseInt(text.substring(9, 12));
        }
        return new Answer(status, text, (System.nanoTime() - t0) / 1_000_000);
    }

    /** Headers complete and the body as long as Content-Length says. */
    private static boolean complete(String text) {
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            return false;
        }
        String head = text.substring(0, end).toLowerCase(java.util.Locale.ROOT);
        int cl = head.indexOf("content-length:");
        if (cl < 0) {
            return head.contains("transfer-encoding") ? text.endsWith("0\r\n\r\n") : true;
        }
        int eol = head.indexOf("\r\n", cl);
        int len = Integer.parseInt(head.substring(cl + 15, eol < 0 ? head.length() : eol).trim());
        return text.length() - end - 4 >= len;
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
