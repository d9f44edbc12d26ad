// Loaded by mocha before every suite: real HTTP requests from this process and from every server
// or CLI process it spawns (they inherit the environment) may only go to loopback.
process.env.AIDR_LOOPBACK_ONLY = '1';
