package io.villa.trainer.data;

import java.util.List;

import io.villa.records.Split;

/**
 * One decoded region-attribute record, ready for the model: the crop as fixed-size RGB bytes and its
 * text. Ground truth is kept for evaluation only; it never reaches the loss.
 *
 * @param key         pairId#regionIndex, unique per record
 * @param pixels      size*size*3 RGB bytes
 * @param text        the assigned sentences joined with " . "
 * @param wholeImage  whether this is the whole image with its whole report
 * @param attributes  the attributes the decomposition assigned
 * @param groundTruth true attributes of the region (synthetic data), or empty
 * @param split       TRAIN, VAL or TEST
 */
public record Example(String key, byte[] pixels, String text, boolean wholeImage, List<String> attributes,
                      List<String> groundTruth, Split split) {
}
