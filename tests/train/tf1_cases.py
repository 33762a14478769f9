"""The cases of tests/train/fixtures/tf1_training.json and the code running them, shared
by the generating script (tools/make_training_fixtures.py, given TensorFlow as ``tf``)
and the tests (given staticgraph): the same lines build the graphs in both."""
import numpy as np
INITIAL = [1.0, -2.0, 0.5, 0.0, 0.05]
SHIFT = [0.3, -0.1, 0.2, -0.4, 0.01]
STEPS = 6
# In a case's arguments: stands for the graph's global step (passed to minimize too).
GLOBAL_STEP = "<global step>"
# A case argument (not the optimizer's): the loss reads rows [0, 2, 2, 4, 1] of the
# variable through tf.gather, so the optimizer gets IndexedSlices (row 3 untouched).
SPARSE = "<sparse>"


def build_loss(tf, w):
    """sum(w² + w⁴/10 + shift·w): gradient 2w + 0.4w³ + shift, a bowl whose steepness
    differs per coordinate (so every run converges and rounding is not amplified)."""
    return tf.reduce_sum(w * w + 0.1 * w * w * w * w + tf.constant(SHIFT, tf.float32) * w)


OPTIMIZER_CASES = {
    "adadelta": ("AdadeltaOptimizer", {"learning_rate": 1.0}),
    "adadelta_rho": ("AdadeltaOptimizer", {"learning_rate": 0.5, "rho": 0.8,
                                           "epsilon": 1e-4}),
    "ftrl": ("FtrlOptimizer", {"learning_rate": 0.2}),
    "ftrl_l1_l2": ("FtrlOptimizer", {"learning_rate": 0.3, "l1_regularization_strength": 0.05,
                                     "l2_regularization_strength": 0.1}),
    "ftrl_power": ("FtrlOptimizer", {"learning_rate": 0.3, "learning_rate_power": -0.3,
                                     "initial_accumulator_value": 0.5,
                                     "l1_regularization_strength": 0.01}),
    "ftrl_shrinkage_beta": ("FtrlOptimizer", {
        "learning_rate": 0.3, "l2_regularization_strength": 0.05,
        "l2_shrinkage_regularization_strength": 0.2, "beta": 0.5}),
    "proximal_gd": ("ProximalGradientDescentOptimizer", {"learning_rate": 0.1}),
    "proximal_gd_l1_l2": ("ProximalGradientDescentOptimizer", {
        "learning_rate": 0.2, "l1_regularization_strength": 0.1,
        "l2_regularization_strength": 0.3}),
    "proximal_adagrad": ("ProximalAdagradOptimizer", {"learning_rate": 0.3}),
    "proximal_adagrad_l1_l2": ("ProximalAdagradOptimizer", {
        "learning_rate": 0.3, "initial_accumulator_value": 0.2,
        "l1_regularization_strength": 0.05, "l2_regularization_strength": 0.2}),
    "adagrad_da": ("AdagradDAOptimizer", {"learning_rate": 0.3, "global_step": GLOBAL_STEP}),
    "adagrad_da_l1_l2": ("AdagradDAOptimizer", {
        "learning_rate": 0.5, "global_step": GLOBAL_STEP,
        "initial_gradient_squared_accumulator_value": 0.3,
        "l1_regularization_strength": 0.05, "l2_regularization_strength": 0.1}),
    "adagrad_da_sparse": ("AdagradDAOptimizer", {
        "learning_rate": 0.5, "global_step": GLOBAL_STEP, "l1_regularization_strength": 0.02,
        "l2_regularization_strength": 0.05, SPARSE: True}),
}

SCHEDULE_STEPS = [0, 1, 3, 7, 10, 15, 23, 31, 50, 100]

SCHEDULE_CASES = {
    "polynomial": ("polynomial_decay", {"learning_rate": 0.1, "decay_steps": 20}),
    "polynomial_power_cycle": ("polynomial_decay", {
        "learning_rate": 0.1, "decay_steps": 20, "end_learning_rate": 0.01, "power": 2.0,
        "cycle": True}),
    "natural_exp": ("natural_exp_decay", {"learning_rate": 0.1, "decay_steps": 10,
                                          "decay_rate": 0.5}),
    "natural_exp_staircase": ("natural_exp_decay", {
        "learning_rate": 0.1, "decay_steps": 10, "decay_rate": 0.5, "staircase": True}),
    "inverse_time": ("inverse_time_decay", {"learning_rate": 0.1, "decay_steps": 10,
                                            "decay_rate": 0.5}),
    "inverse_time_staircase": ("inverse_time_decay", {
        "learning_rate": 0.1, "decay_steps": 10, "decay_rate": 0.5, "staircase": True}),
    "cosine": ("cosine_decay", {"learning_rate": 0.1, "decay_steps": 40}),
    "cosine_alpha": ("cosine_decay", {"learning_rate": 0.1, "decay_steps": 40,
                                      "alpha": 0.2}),
    "cosine_restarts": ("cosine_decay_restarts", {"learning_rate": 0.1,
                                                  "first_decay_steps": 5}),
    "cosine_restarts_t1_m": ("cosine_decay_restarts", {
        "learning_rate": 0.1, "first_decay_steps": 8, "t_mul": 1.0, "m_mul": 0.5,
        "alpha": 0.1}),
    "linear_cosine": ("linear_cosine_decay", {"learning_rate": 0.1, "decay_steps": 40}),
    "linear_cosine_periods": ("linear_cosine_decay", {
        "learning_rate": 0.1, "decay_steps": 40, "num_periods": 2.0, "alpha": 0.1,
        "beta": 0.01}),
    "piecewise": ("piecewise_constant_decay", {"boundaries": [5, 20],
                                               "values": [1.0, 0.5, 0.1]}),
}

EMA_VALUES = [[1.0, -1.0], [2.0, 0.0], [4.0, 1.0], [3.0, 3.0], [0.0, 1.0]]
EMA_CASES = {"plain": {"decay": 0.9}, "num_updates": {"decay": 0.99, "num_updates": 3}}


def build_schedule(tf, fn, kwargs, step):
    """The schedule ``tf.train.<fn>`` at ``step`` (``piecewise_constant_decay`` names
    its step ``x``)."""
    key = "x" if fn == "piecewise_constant_decay" else "global_step"
    return getattr(tf.train, fn)(**{key: step}, **kwargs)


def optimizer_path(tf, label):
    """The variable after each of STEPS steps of optimizer case ``label``."""
    cls, kwargs = OPTIMIZER_CASES[label]
    with tf.Graph().as_default():
        w = tf.Variable(np.array(INITIAL, np.float32), name="w")
        step = tf.train.get_or_create_global_step()
        kwargs = {key: step if value == GLOBAL_STEP else value
                  for key, value in kwargs.items()}
        loss = build_loss(tf, tf.gather(w, [0, 2, 2, 4, 1]) if kwargs.pop(SPARSE, False)
                          else w)
        train = getattr(tf.train, cls)(**kwargs).minimize(loss, global_step=step)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            path = []
            for _ in range(STEPS):
                sess.run(train)
                path.append(sess.run(w).tolist())
    return path


def schedule_values(tf, label):
    """Schedule case ``label`` at each of SCHEDULE_STEPS."""
    fn, kwargs = SCHEDULE_CASES[label]
    with tf.Graph().as_default():
        step = tf.placeholder(tf.int64, [])
        rate = build_schedule(tf, fn, kwargs, step)
        with tf.Session() as sess:
            return [float(sess.run(rate, {step: s})) for s in SCHEDULE_STEPS]


def ema_path(tf, label):
    """The shadow of a variable set to each of EMA_VALUES[1:] in turn, after each
    update of moving-average case ``label``."""
    with tf.Graph().as_default():
        v = tf.Variable(np.array(EMA_VALUES[0], np.float32), name="v")
        ema = tf.train.ExponentialMovingAverage(**EMA_CASES[label])
        update = ema.apply([v])
        new = tf.placeholder(tf.float32, [len(EMA_VALUES[0])])
        assign = tf.assign(v, new)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            path = []
            for value in EMA_VALUES[1:]:
                sess.run(assign, {new: value})
                sess.run(update)
                path.append(sess.run(ema.average(v)).tolist())
    return path
