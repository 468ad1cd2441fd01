/* mutex_incr_n7_k3: equivalent of mutex_incr_n7_k3.gr (see README.md for the encoding rules) */
#define N 7
#define K 3

int  counter;
byte mu;                                            /* sync.Mutex     */
byte wg;                                            /* sync.WaitGroup */

proctype worker() {
  byte i;
  int  tmp;
  do
  :: d_step { i < K && mu == 0; mu = 1 }            /* mu.Lock()     */
     tmp = counter;                                 /* read counter  */
     d_step { counter = tmp + 1; tmp = 0 }           /* write counter */
     d_step { mu = 0; i++ }                          /* mu.Unlock()   */
  :: d_step { i >= K; wg-- }; break                 /* wg.Done()     */
  od;
end: false                                          /* goroutine done */
}

init {
  wg = N;                                           /* wg.Add(N) */
  run worker();  /* go worker() */
  run worker();
  run worker();
  run worker();
  run worker();
  run worker();
  run worker();
  d_step { wg == 0; assert(counter == N * K) }      /* wg.Wait(); expect forall */
}
