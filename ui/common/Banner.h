#pragma once

#include <QLabel>
#include <QString>

namespace flywheel::ui {

/// A strip of coloured, wrapped, selectable text across a page: red (and bold) for a
/// problem loading the page, blue for information the operator must not miss. Hidden
/// while there is nothing to say. The pages' banners are all this one widget; what an
/// operator's own action did goes to a MessageBar instead.
class Banner final : public QLabel {
    Q_OBJECT

public:
    enum class Tone { Problem, Information };

    explicit Banner(Tone tone, QWidget *parent = nullptr);

    Tone tone() const { return m_tone; }
    /// Shows `text`; an empty text hides the banner.
    void showText(const QString &text);
    /// The text shown, empty while the banner is hidden.
    QString shownText() const;

private:
    Tone m_tone;
};

} // namespace flywheel::ui
