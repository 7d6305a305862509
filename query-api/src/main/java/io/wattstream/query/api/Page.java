package io.wattstream.query.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** The prototype's page shape; {@code next}/{@code previous} are written as null, never left out. */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record Page<T>(long count, String next, String previous, List<T> results) {
}
