"""A TF1-era GAN tutorial in miniature: a generator and a discriminator built from
tf.layers.dense under variable scopes (the discriminator reused for the fake batch), two
RMSProp optimizers each restricted to its own scope's variables, learning N(4, 1.25)."""
import numpy as np

import staticgraph as tf

np.random.seed(0)
tf.set_random_seed(1)
real_data = np.random.normal(4.0, 1.25, size=(2000, 1)).astype(np.float32)


def generator(z, reuse=False):
    with tf.variable_scope("generator", reuse=reuse):
        hidden = tf.layers.dense(z, 16, activation=tf.nn.leaky_relu)
        hidden = tf.layers.dense(hidden, 16, activation=tf.nn.leaky_relu)
        return tf.layers.dense(hidden, 1)


def discriminator(x, reuse=False):
    with tf.variable_scope("discriminator", reuse=reuse):
        hidden = tf.layers.dense(x, 16, activation=tf.nn.leaky_relu, name="h1")
        hidden = tf.layers.dense(hidden, 16, activation=tf.nn.leaky_relu, name="h2")
        logits = tf.layers.dense(hidden, 1, name="out")
        return logits, tf.nn.sigmoid(logits)


X = tf.placeholder(tf.float32, [None, 1])
Z = tf.placeholder(tf.float32, [None, 1])
G = generator(Z)
real_logits, _ = discriminator(X)
fake_logits, _ = discriminator(G, reuse=True)
d_loss = tf.reduce_mean(
    tf.nn.sigmoid_cross_entropy_with_logits(logits=real_logits,
                                            labels=tf.ones_like(real_logits)) +
    tf.nn.sigmoid_cross_entropy_with_logits(logits=fake_logits,
                                            labels=tf.zeros_like(fake_logits)))
g_loss = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(
    logits=fake_logits, labels=tf.ones_like(fake_logits)))
gen_vars = tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES, scope="generator")
disc_vars = tf.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES, scope="discriminator")
# the names TF 2.21 (compat.v1, tf_keras layers) gives these variables
assert [v.name for v in gen_vars] == [
    "generator/dense/kernel:0", "generator/dense/bias:0", "generator/dense_1/kernel:0",
    "generator/dense_1/bias:0", "generator/dense_2/kernel:0", "generator/dense_2/bias:0"]
assert [v.name for v in disc_vars] == [
    "discriminator/h1/kernel:0", "discriminator/h1/bias:0", "discriminator/h2/kernel:0",
    "discriminator/h2/bias:0", "discriminator/out/kernel:0", "discriminator/out/bias:0"]
gen_step = tf.train.RMSPropOptimizer(learning_rate=0.002).minimize(g_loss, var_list=gen_vars)
disc_step = tf.train.RMSPropOptimizer(learning_rate=0.002).minimize(d_loss,
                                                                    var_list=disc_vars)
sess = tf.Session()
tf.global_variables_initializer().run(session=sess)
before = sess.run(G, {Z: np.random.uniform(-1, 1, (1000, 1))})
for step in range(800):
    real_batch = real_data[np.random.randint(0, 2000, 64)]
    noise = np.random.uniform(-1., 1., size=[64, 1]).astype(np.float32)
    _, dl = sess.run([disc_step, d_loss], feed_dict={X: real_batch, Z: noise})
    _, gl = sess.run([gen_step, g_loss], feed_dict={Z: noise})
    if step % 200 == 0:
        print("step %d discriminator %.4f generator %.4f" % (step, dl, gl))
samples = sess.run(G, {Z: np.random.uniform(-1, 1, (1000, 1))})
print("generated mean %.2f (before training %.2f)" % (samples.mean(), before.mean()))
assert abs(samples.mean() - 4.0) < 1.0 < abs(before.mean() - 4.0), (samples.mean(),
                                                                     before.mean())
sess.close()
