package dev.prefalign.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What the trainer does with a dataset row it cannot use; written in lower case in manifests. */
public enum InvalidRows {
    /** Stop with the row's file and number in the message. */
    @JsonProperty("fail") FAIL,
    /** Leave the row out, count it and report the count. */
    @JsonProperty("skip") SKIP
}
