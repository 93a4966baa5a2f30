extension FrameSource {
    /// The newest frame after `warmUp` frames have been read and dropped, so that a camera that has just been
    /// opened has settled its exposure and the controls set at open have taken effect. Nil when a finite
    /// source ends before delivering any frame; when it ends during the warm-up, its last frame.
    public func snapshot(afterWarmUp warmUp: Int) throws(FrameSourceError) -> Frame? {
        var newest: Frame?
        for _ in 0...max(warmUp, 0) {
            guard let frame = try nextFrame() else { break }
            newest = frame
        }
        return newest
    }
}
