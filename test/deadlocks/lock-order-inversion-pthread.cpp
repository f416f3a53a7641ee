// The C API form: two pthread mutexes locked in opposite orders by two
// threads started with pthread_create.
// RUN: %python %tools/prove_finding.py --threadlint=%threadlint --clangxx=%clangxx \
// RUN:   --resource-dir=%resource_dir --check=threadlint-lock-order-inversion %s %t \
// RUN:   | FileCheck %s
// CHECK: threadlint: threadlint-lock-order-inversion at every PROVE-WARN line
// CHECK: tsan: lock-order-inversion (potential deadlock) reported, a cycle of 2 mutexes, run finished

#include <pthread.h>

static pthread_mutex_t conn_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t stats_mu = PTHREAD_MUTEX_INITIALIZER;
static int connections;
static int samples;

static void *on_connect(void *) {
  pthread_mutex_lock(&conn_mu);
  ++connections;
  pthread_mutex_lock(&stats_mu);
  ++samples;
  pthread_mutex_unlock(&stats_mu);
  pthread_mutex_unlock(&conn_mu);
  return nullptr;
}

static void *report(void *) {
  pthread_mutex_lock(&stats_mu);
  pthread_mutex_lock(&conn_mu); // PROVE-WARN
  samples += connections;
  pthread_mutex_unlock(&conn_mu);
  pthread_mutex_unlock(&stats_mu);
  return nullptr;
}

int main(int argc, char **) {
  // No argument (the proof): one thread after the other, no real deadlock,
  // both orders in ThreadSanitizer's graph. An argument lets them overlap.
  bool overlap = argc > 1;
  pthread_t first, second;
  pthread_create(&first, nullptr, on_connect, nullptr);
  if (!overlap)
    pthread_join(first, nullptr);
  pthread_create(&second, nullptr, report, nullptr);
  if (overlap)
    pthread_join(first, nullptr);
  pthread_join(second, nullptr);
  return connections == 1 && samples == 2 ? 0 : 1;
}
