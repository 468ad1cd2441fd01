/* philosophers_n6: equivalent of philosophers_n6.gr (see README.md for the encoding rules) */
#define N 6

byte forks[N];                                      /* [N]sync.Mutex  */
int  meals;
byte wg;                                            /* sync.WaitGroup */

proctype philosopher(byte id) {
  int tmp;
  d_step { forks[id] == 0; forks[id] = 1 }                   /* forks[left].Lock()  */
  d_step { forks[(id+1)%N] == 0; forks[(id+1)%N] = 1 }       /* forks[right].Lock() */
  tmp = meals;                                               /* read meals          */
  d_step { meals = tmp + 1; tmp = 0 }                        /* write meals         */
  forks[(id+1)%N] = 0;                                       /* forks[right].Unlock() */
  forks[id] = 0;                                             /* forks[left].Unlock()  */
  wg--;                                                      /* wg.Done()           */
end: false                                                   /* goroutine done      */
}

init {
  wg = N;                                           /* wg.Add(N) */
  run philosopher(0);  /* go philosopher() */
  run philosopher(1);
  run philosopher(2);
  run philosopher(3);
  run philosopher(4);
  run philosopher(5);
  wg == 0                                           /* wg.Wait() */
}
