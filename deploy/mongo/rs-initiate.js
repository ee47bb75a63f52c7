// Runs against the first member directly: before rs.initiate there is no replica set to find.
db.getSiblingDB("admin").auth(process.env.MONGO_ROOT_USERNAME, process.env.MONGO_ROOT_PASSWORD);

const name = process.env.MONGO_REPLICA_SET;
const hosts = process.env.MONGO_MEMBERS.split(",");
try {
  rs.status();
  print(`replica set ${name} already initiated`);
} catch (e) {
  if (e.codeName !== "NotYetInitialized") throw e;
  // The first member gets a higher priority so that, all being healthy, the primary is predictable.
  rs.initiate({ _id: name, members: hosts.map((host, i) => ({ _id: i, host, priority: i === 0 ? 2 : 1 })) });
  print(`replica set ${name} initiated with ${hosts.join(", ")}`);
}

// Waiting for an elected primary is what makes the API's "service_completed_successfully"
// dependency mean "the database takes writes".
const deadline = Date.now() + 120_000;
while (!db.hello().primary) {
  if (Date.now() > deadline) throw new Error("no primary elected within 120 s");
  sleep(1000);
}
print(`primary: ${db.hello().primary}`);
