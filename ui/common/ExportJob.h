#pragma once

#include <QByteArray>
#include <QImage>
#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>

#include <atomic>
#include <thread>

namespace flywheel::ui {

/// Writes exported files (chart images as PNG, data as CSV) on a thread of its own, so
/// that the window never waits for the encoding or the disk; reports progress and the
/// outcome on the GUI thread. Each file is written whole or not at all (QSaveFile).
class ExportJob final : public QObject {
    Q_OBJECT

public:
    struct File {
        QString path;
        /// Encoded as PNG when not null; otherwise `bytes` are written as they are.
        QImage image;
        QByteArray bytes;
    };

    explicit ExportJob(QList<File> files, QObject *parent = nullptr);
    /// Waits for the files being written.
    ~ExportJob() override;

    void start();
    int total() const { return static_cast<int>(m_files.size()); }
    /// Stops after the file being written; finished() then says so.
    void cancel() { m_cancelled = true; }

    /// RFC 4180 text of `rows`: fields with a comma, quote or line break are quoted.
    static QByteArray csv(const QList<QStringList> &rows);

Q_SIGNALS:
    void progress(int done, int total);
    /// `written`: the paths written; `error` empty when every file was.
    void finished(const QStringList &written, const QString &error);

private:
    void run();

    QList<File> m_files;
    std::atomic<bool> m_cancelled{false};
    std::thread m_thread;
};

} // namespace flywheel::ui
