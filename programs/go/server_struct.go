// server_struct.go — a struct holding both channels and a mutex, made by
// a constructor that starts its loop: a client sends 1 then 2 on s.reqs
// and closes it, the loop adds them up under s.mu, and main reads the
// total under the same lock, once while the client may still be sending
// and once after the loop says it is done.
//
// Expected outcomes (the first total is whatever the loop has added so
// far, never 2 since 1 comes first; the second is always 3; nothing
// races, nothing is left blocked):
//   ok  s.served=3  output "0\n3\n"  serial
//   ok  s.served=3  output "1\n3\n"
//   ok  s.served=3  output "3\n3\n"
// Data races, deadlocks, panics, leaks: none.
package main

import (
	"fmt"
	"sync"
)

type Server struct {
	mu     sync.Mutex
	served int
	reqs   chan int
	done   chan bool
}

func NewServer() *Server {
	s := &Server{reqs: make(chan int), done: make(chan bool)}
	go s.loop()
	return s
}

func (s *Server) loop() {
	for n := range s.reqs {
		s.mu.Lock()
		s.served += n
		s.mu.Unlock()
	}
	s.done <- true
}

func (s *Server) Served() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.served
}

func main() {
	s := NewServer()
	go func() {
		s.reqs <- 1
		s.reqs <- 2
		close(s.reqs)
	}()
	fmt.Println(s.Served())
	<-s.done
	fmt.Println(s.Served())
}
