#include "common/ExportJob.h"

#include <QMetaObject>
#include <QSaveFile>

namespace flywheel::ui {

ExportJob::ExportJob(QList<File> files, QObject *parent) : QObject(parent), m_files(std::move(files)) {}

ExportJob::~ExportJob()
{
    m_cancelled = true;
    if (m_thread.joinable())
        m_thread.join();
}

void ExportJob::start()
{
    m_thread = std::thread([this] { run(); });
}

void ExportJob::run()
{
    QStringList written;
    QString error;
    int done = 0;
    for (const File &file : m_files) {
        if (m_cancelled) {
            error = tr("Cancelled after %1 of %2 files.").arg(done).arg(m_files.size());
            break;
        }
        QSaveFile out(file.path);
        bool ok = out.open(QIODevice::WriteOnly);
        if (ok)
            ok = file.image.isNull() ? out.write(file.bytes) == file.bytes.size() : file.image.save(&out, "PNG");
        if (ok)
            ok = out.commit();
        else
            out.cancelWriting();
        if (!ok) {
            error = tr("%1 could not be written: %2").arg(file.path, out.errorString());
            break;
        }
        written.append(file.path);
        ++done;
        // Emitted from this thread: receivers on the GUI thread get it queued.
        Q_EMIT progress(done, static_cast<int>(m_files.size()));
    }
    Q_EMIT finished(written, error);
}

QByteArray ExportJob::csv(const QList<QStringList> &rows)
{
    QByteArray out;
    for (const QStringList &row : rows) {
        QStringList fields;
        for (QString field : row) {
            if (field.contains(u',') || field.contains(u'"') || field.contains(u'\n') || field.contains(u'\r')) {
                field.replace(QStringLiteral("\""), QStringLiteral("\"\""));
                field = u'"' + field + u'"';
            }
            fields.append(field);
        }
        out += fields.join(u',').toUtf8();
        out += "\r\n";
    }
    return out;
}

} // namespace flywheel::ui
