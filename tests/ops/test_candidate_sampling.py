"""Candidate samplers and compute_accidental_hits: distributions (chi-square tests with
fixed seeds), TF1's expected-count formulas, seeding, statefulness and errors."""
import numpy as np
import pytest

import staticgraph as tf

TRUE = np.array([[1, 3], [3, 5], [4, 1]])


def _draws(sampler, runs, true=TRUE, **kwargs):
    """Concatenated sampled ids of ``runs`` runs of one seeded sampler op."""
    with tf.Graph().as_default():
        sampled, *_ = sampler(true, 2, seed=1, **kwargs)
        with tf.Session() as sess:
            return np.concatenate([sess.run(sampled) for _ in range(runs)])


def _chi_square(ids, probabilities):
    counts = np.bincount(ids, minlength=len(probabilities))
    expected = probabilities * len(ids)
    return np.sum((counts - expected) ** 2 / expected)


# 99.9% quantiles of the chi-square distribution with 19 and 5 degrees of freedom
CHI2_999 = {19: 43.82, 5: 20.52}


def test_log_uniform_frequencies_follow_the_zipfian_law():
    range_max = 20
    ids = _draws(tf.nn.log_uniform_candidate_sampler, 40, num_sampled=500, unique=False,
                 range_max=range_max)
    k = np.arange(range_max)
    law = (np.log(k + 2) - np.log(k + 1)) / np.log(range_max + 1)
    assert np.isclose(law.sum(), 1.0)
    assert _chi_square(ids, law) < CHI2_999[19]
    # the test has power: a uniform law is rejected on the same draws
    assert _chi_square(ids, np.full(range_max, 1 / range_max)) > 10 * CHI2_999[19]


def test_uniform_and_fixed_unigram_frequencies():
    ids = _draws(tf.random.uniform_candidate_sampler, 20, num_sampled=1000, unique=False,
                 range_max=20)
    assert _chi_square(ids, np.full(20, 1 / 20)) < CHI2_999[19]
    unigrams = [5.0, 1.0, 3.0, 0.5, 2.0, 8.0]
    ids = _draws(tf.nn.fixed_unigram_candidate_sampler, 20, num_sampled=1000, unique=False,
                 range_max=8, unigrams=unigrams, num_reserved_ids=2, distortion=0.75)
    weights = np.concatenate([[0, 0], np.power(unigrams, 0.75)])
    assert not np.isin(ids, [0, 1]).any()  # reserved ids are never drawn
    assert _chi_square(ids[ids >= 2] - 2, weights[2:] / weights.sum()) < CHI2_999[5]


def _expected_counts(sampler, unique, num_sampled=4, range_max=10, **kwargs):
    with tf.Graph().as_default():
        out = sampler(TRUE, 2, num_sampled, unique, range_max, seed=2, **kwargs)
        with tf.Session() as sess:
            return sess.run(out)


def test_expected_counts_with_replacement_are_p_times_num_sampled():
    sampled, true_count, sampled_count = _expected_counts(
        tf.nn.log_uniform_candidate_sampler, False, num_sampled=6)
    law = lambda k: np.log((k + 2.0) / (k + 1.0)) / np.log(11.0)  # noqa: E731
    np.testing.assert_allclose(true_count, 6 * law(TRUE), rtol=1e-6)
    np.testing.assert_allclose(sampled_count, 6 * law(sampled), rtol=1e-6)
    assert true_count.dtype == np.float32 and sampled.dtype == np.int64


def test_unique_expected_counts_use_the_number_of_tries():
    """1 - (1 - p) ** num_tries for one num_tries >= num_sampled shared by every entry."""
    sampled, true_count, sampled_count = _expected_counts(
        tf.nn.log_uniform_candidate_sampler, True, num_sampled=8)
    assert len(set(sampled.tolist())) == 8
    law = lambda k: np.log((k + 2.0) / (k + 1.0)) / np.log(11.0)  # noqa: E731
    tries = np.log1p(-sampled_count.astype(np.float64)) / np.log1p(-law(sampled))
    assert np.allclose(tries, np.round(tries[0]), rtol=1e-4) and round(tries[0]) > 8
    np.testing.assert_allclose(true_count, -np.expm1(round(tries[0]) * np.log1p(-law(TRUE))),
                               rtol=1e-5)


def test_fixed_unigram_expected_counts_equal_tensorflow():
    # TF 2.21's true_expected_count for these arguments (a draw with no rejection)
    _, true_count, _ = _expected_counts(tf.nn.fixed_unigram_candidate_sampler, False,
                                        num_sampled=3, range_max=8,
                                        unigrams=[1., 2, 3, 4, 5, 6], num_reserved_ids=2,
                                        distortion=0.5)
    # ids 0, 1 reserved; id k >= 2 weighs sqrt(unigrams[k - 2])
    p = np.array([[0, np.sqrt(2)], [np.sqrt(2), 2], [np.sqrt(3), 0]]) / np.sqrt(
        [1, 2, 3, 4, 5, 6]).sum()
    np.testing.assert_allclose(true_count, 3 * p, rtol=1e-6)
    np.testing.assert_allclose(true_count, [[0, 0.39168298], [0.39168298, 0.5539234],
                                            [0.47971174, 0]], rtol=1e-6)


def test_fixed_unigram_shard_samples_its_own_ids():
    # shard 1 of 2 over 2 reserved + 6 unigrams: ids 1, 3, 5, 7 with weights 0, u1, u3, u5
    ids = _draws(tf.nn.fixed_unigram_candidate_sampler, 5, TRUE % 4, num_sampled=200,
                 unique=False,
                 range_max=4, unigrams=[1.0, 2.0, 1.0, 4.0, 1.0, 6.0], num_reserved_ids=2,
                 num_shards=2, shard=1)
    assert set(ids.tolist()) == {1, 2, 3}
    assert np.bincount(ids)[3] > np.bincount(ids)[1]


def test_learned_unigram_counts_true_classes_after_each_draw():
    with tf.Graph().as_default():
        out = tf.nn.learned_unigram_candidate_sampler(TRUE, 2, 4, False, 10, seed=1)
        with tf.Session() as sess:
            first, second = sess.run(out), sess.run(out)
        with tf.Session() as fresh:  # the counts belong to the session
            again = fresh.run(out)
    np.testing.assert_allclose(first[1], np.full((3, 2), 4 / 10))
    # TF 2.21 gives these after one run: counts 1 + seen (1: 3, 3: 3, 4: 2, 5: 2) of 16
    np.testing.assert_allclose(second[1], [[0.75, 0.75], [0.75, 0.5], [0.5, 0.75]])
    np.testing.assert_array_equal(again[0], first[0])


def test_all_candidate_sampler():
    sampled, true_count, sampled_count = _expected_counts(
        lambda t, n, s, u, r, seed: tf.nn.all_candidate_sampler(t, n, s, u, seed=seed),
        True, num_sampled=6)
    np.testing.assert_array_equal(sampled, np.arange(6))
    assert (true_count == 1).all() and (sampled_count == 1).all()


def test_seeded_samplers_repeat_across_sessions_and_are_never_folded_or_merged():
    with tf.Graph().as_default():
        a = tf.nn.uniform_candidate_sampler(TRUE, 2, 30, False, 1000, seed=4)[0]
        b = tf.nn.uniform_candidate_sampler(TRUE, 2, 30, False, 1000)[0]
        with tf.Session() as sess:
            runs = [sess.run([a, b]) for _ in range(2)]
        with tf.Session() as sess:
            repeat = sess.run(a)
    assert a.op.name == "UniformCandidateSampler" and b.op.name == "UniformCandidateSampler_1"
    np.testing.assert_array_equal(repeat, runs[0][0])
    assert not np.array_equal(runs[0][0], runs[1][0])  # a constant input, fresh draws
    assert not np.array_equal(runs[0][0], runs[0][1])  # two ops, two generators


def test_compute_accidental_hits_equals_tensorflow():
    with tf.Graph().as_default(), tf.Session() as sess:
        rows, ids, weights = sess.run(tf.nn.compute_accidental_hits(
            TRUE, np.array([3, 1, 9, 5, 3]), num_true=2))
    # TF 2.21: row by row in the order of the true classes; id 3 matches its last position
    np.testing.assert_array_equal(rows, [0, 0, 1, 1, 2])
    np.testing.assert_array_equal(ids, [1, 4, 4, 3, 1])
    assert rows.dtype == np.int32 and ids.dtype == np.int64
    np.testing.assert_array_equal(weights, np.full(5, -np.finfo(np.float32).max, np.float32))


def test_errors_name_the_problem():
    with pytest.raises(ValueError, match="num_true=3 columns.*shape"):
        tf.nn.log_uniform_candidate_sampler(TRUE, 3, 2, True, 10)
    with pytest.raises(TypeError, match="true_classes must be int64"):
        tf.nn.uniform_candidate_sampler(TRUE.astype(np.float32), 2, 2, True, 10)
    with pytest.raises(ValueError, match="range_max=5 must be the number"):
        tf.nn.fixed_unigram_candidate_sampler(TRUE, 2, 2, True, 5, unigrams=[1.0, 2.0])
    with tf.Graph().as_default(), tf.Session() as sess:
        too_many = tf.nn.uniform_candidate_sampler(TRUE, 2, 11, True, 10)
        with pytest.raises(tf.errors.InvalidArgumentError, match="cannot draw 11 unique ids from a range of 10"):
            sess.run(too_many)
        outside = tf.nn.log_uniform_candidate_sampler(TRUE, 2, 2, False, 5)
        with pytest.raises(tf.errors.InvalidArgumentError, match=r"true_classes 5 out of range \[0, 5\)"):
            sess.run(outside)


def test_a_failed_run_leaves_the_learned_counts_unchanged():
    with tf.Graph().as_default():
        sampled, true_count, _ = tf.nn.learned_unigram_candidate_sampler(TRUE, 2, 4, False,
                                                                         10, seed=1)
        index = tf.placeholder(tf.int32, [])
        with tf.control_dependencies([sampled]):
            after = tf.gather(tf.constant([1.0, 2.0]), index)
        with tf.Session() as sess:
            with pytest.raises(tf.errors.InvalidArgumentError):
                sess.run(after, {index: 5})
            np.testing.assert_allclose(sess.run(true_count), np.full((3, 2), 0.4))
            sess.run(after, {index: 1})
            # two successful runs counted the 6 true classes twice: id 1 has 1 + 2 * 2
            np.testing.assert_allclose(sess.run(true_count)[0], [4 * 5 / 22, 4 * 5 / 22],
                                       rtol=1e-6)
