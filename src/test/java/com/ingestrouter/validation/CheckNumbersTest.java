package com.ingestrouter.validation;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.ingestrouter.errors.InvalidMessageException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The refusal names where the out-of-range number is, in the form the dead letters and 400s use. */
class CheckNumbersTest {
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "{\"total\":1e999999999}|total",
            "{\"data\":{\"total\":1.5,\"tax\":1e-999999999}}|data.tax",
            "{\"items\":[{\"price\":1},{\"price\":1e999999999}]}|items[1].price",
            "{\"a\":[[1.0,2e999999999]]}|a[0][1]",
            "{\"first\":1e999999999,\"second\":1e999999999}|first"})
    void namesTheFirstOutOfRangeNumberInDocumentOrder(String body, String field) throws Exception {
        JsonNode node = JSON.readTree(body);
        assertThatThrownBy(() -> JsonValidator.checkNumbers(node))
                .isInstanceOfSatisfying(InvalidMessageException.class,
                        e -> org.assertj.core.api.Assertions.assertThat(e.field()).isEqualTo(field));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"{\"total\":12345.6789}", "{\"items\":[{\"price\":1e10}],\"n\":7}"})
    void numbersThatFitPass(String body) throws Exception {
        JsonNode node = JSON.readTree(body);
        assertThatCode(() -> JsonValidator.checkNumbers(node)).doesNotThrowAnyException();
    }
}
