package io.wattstream.query.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.sql.SQLException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A streamed CSV download. The query runs before the first byte is sent, so a database that is down
 * still gets a clean 503; rows then flow from a server-side cursor. A failure after the body started
 * drops the connection: a truncated file must never look complete.
 */
final class CsvExport<T> {

    private static final Logger LOG = LoggerFactory.getLogger(CsvExport.class);

    /** Columns named as the JSON fields; numbers as written (decimals plain, never in exponent form). */
    static final CsvMapper CSV = CsvMapper.builder()
            .addModule(new JavaTimeModule())
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(com.fasterxml.jackson.core.StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .build();

    /** Writes rows to the export, one at a time. */
    interface Rows<T> {
        void each(RowSink<T> sink) throws SQLException, IOException;
    }

    interface RowSink<T> {
        void accept(T row) throws IOException;
    }

    /** An export that failed half-way: the connection is dropped, never a clean end. */
    static final class ExportAborted extends RuntimeException {
        ExportAborted(Throwable cause) {
            super("export aborted", cause);
        }
    }

    private final ServerResponse res;
    private final CsvSchema schema;
    private final String filename;
    private OutputStream stream;
    private SequenceWriter writer;

    private CsvExport(ServerResponse res, CsvSchema schema, String filename) {
        this.res = res;
        this.schema = schema;
        this.filename = filename;
    }

    /** A schema with these columns, header first. */
    static CsvSchema columns(List<String> names) {
        CsvSchema.Builder b = CsvSchema.builder().setUseHeader(true);
        names.forEach(b::addColumn);
        return b.build();
    }

    static <T> void send(ServerResponse res, CsvSchema schema, String filename, Rows<T> rows)
            throws SQLException, IOException {
        CsvExport<T> out = new CsvExport<>(res, schema, filename);
        try {
            rows.each(out::write);
            out.open();
        } catch (SQLException | IOException | RuntimeException e) {
            if (out.writer != null) {
                // Closing normally would end the chunked body cleanly and a truncated file would look
                // complete; an exception after the body started makes the server drop the connection.
                LOG.warn("CSV export aborted after it started: {}", e.toString());
                throw new ExportAborted(e);
            }
            throw e; // nothing sent yet: the usual error answer (503 for the database)
        }
        out.writer.close();
    }

    /** Opens the response only when the first row (or the end) is there. */
    private void open() throws IOException {
        if (writer == null) {
            res.header(HeaderNames.CONTENT_TYPE, "text/csv; charset=utf-8");
            res.header(HeaderNames.CONTENT_DISPOSITION, "attachment; filename=\"" + filename + "\"");
            stream = res.outputStream();
            writer = CSV.writer(schema).writeValues(stream);
        }
    }

    private void write(T row) throws IOException {
        open();
        writer.write(row);
    }
}
