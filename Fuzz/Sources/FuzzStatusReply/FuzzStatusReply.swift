import FuzzDriver
import GateVocabulary

// What `gatecheck status` does with the status socket's reply. The daemon's side reads no request at all (it
// ignores whatever a client sends), so the reply is the status socket's only parser. Whatever decodes must survive
// a round trip: written back out and read again, it is the same status.
@main
enum FuzzStatusReply {
    static func main() {
        FuzzDriver.run { bytes in
            guard let snapshot = try? StatusSnapshot(json: bytes) else { return }
            let again = Array(snapshot.json().utf8)
            guard let reread = try? StatusSnapshot(json: again), reread == snapshot else {
                fatalError("a status reply does not survive its own round trip")
            }
        }
    }
}
